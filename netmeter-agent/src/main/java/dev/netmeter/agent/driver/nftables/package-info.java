/** The nftables data plane: a router's rules compiled into interval verdict maps, one table per router namespace. */
package dev.netmeter.agent.driver.nftables;
