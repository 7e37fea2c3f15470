/**
 * The data-plane side of the agent: what one router must meter ({@link dev.netmeter.agent.driver.RouterMetering}),
 * what a packet is to metering ({@link dev.netmeter.agent.driver.Packet}), and Neutron's counting rule as a
 * plain evaluator ({@link dev.netmeter.agent.driver.MeteringSemantics}) that compiled forms are checked against.
 */
package dev.netmeter.agent.driver;
