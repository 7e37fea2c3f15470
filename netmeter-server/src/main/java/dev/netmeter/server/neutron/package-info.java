/** Following a real Neutron's routers ({@code routers.source = neutron}): its API client and the mapping. */
package dev.netmeter.server.neutron;
