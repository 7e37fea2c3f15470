/** The agent's client of the netmeter server: sync data in, usage reports out. */
package dev.netmeter.agent.server;
