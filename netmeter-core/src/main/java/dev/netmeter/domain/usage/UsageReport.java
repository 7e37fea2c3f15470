package dev.netmeter.domain.usage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One report window's usage, under an id that stays the same however often it is sent, so that the server
 * stores it once.
 */
public record UsageReport(UUID id, Instant windowStart, Instant windowEnd, Map<UsageKey, Usage> usage) {
    public UsageReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        usage = Map.copyOf(usage);
    }
}
