package dev.netmeter.agent.usage;

import dev.netmeter.domain.usage.Usage;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One closed report window's usage by counter ({@link CounterKey}: router, label, direction), kept in the ledger
 * until the server acknowledges it, under an id that stays the same however often it is sent, so that the server
 * stores it once.
 */
public record PendingReport(UUID id, Instant windowStart, Instant windowEnd, Map<CounterKey, Usage> usage) {
    public PendingReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        usage = Map.copyOf(usage);
    }
}
