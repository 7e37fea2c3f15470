/**
 * Usage: what agents count and report, and what the server stores and serves. Values shared by the agent
 * (which builds reports) and the server (which stores them once each).
 */
package dev.netmeter.domain.usage;
