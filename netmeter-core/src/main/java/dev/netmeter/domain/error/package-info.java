/**
 * The one exception hierarchy that reaches clients: a sealed root, one abstract category per HTTP
 * status, and final leaves that carry Neutron's error {@code type} and message.
 */
package dev.netmeter.domain.error;
