/**
 * The JSON documents of netmeter, as records bound by Jackson: the sync data the server sends its agents
 * ({@link dev.netmeter.wire.SyncDocument}), the usage reports agents send back
 * ({@link dev.netmeter.wire.UsageReportDocument}) and the agent's ledger on disk
 * ({@link dev.netmeter.wire.LedgerDocument}). One description per document, for the side that writes it and
 * the side that reads it, bound with {@link dev.netmeter.wire.WireJson#MAPPER}: a missing, {@code null} or
 * mistyped required field is an error naming it.
 */
package dev.netmeter.wire;
