/**
 * The Neutron-compatible HTTP API: routes and error mapping ({@link dev.netmeter.api.ApiServer}), request
 * parsing with Neutron's validation rules, and rendering of Neutron's response bodies.
 */
package dev.netmeter.api;
