/**
 * Who sent a request: token authentication against static API tokens or a Keystone v3 identity service,
 * a validation cache, and a limit on failed attempts per client.
 */
package dev.netmeter.api.identity;
