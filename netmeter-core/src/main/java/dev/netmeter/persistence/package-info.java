/**
 * Ports the services use to reach storage: a {@link dev.netmeter.persistence.Transactor} that runs a
 * unit of work in one transaction, the repositories bound to it, and the query model they accept.
 * Implementations live in netmeter-persistence.
 */
package dev.netmeter.persistence;
