/**
 * Usage on the agent's side: what the counters counted since they were last read, gathered into report
 * windows, and the ledger that keeps it all on disk between reports, so that an agent killed at any moment
 * loses nothing and counts nothing twice.
 */
package dev.netmeter.agent.usage;
