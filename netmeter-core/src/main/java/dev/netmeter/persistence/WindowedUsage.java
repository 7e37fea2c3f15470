package dev.netmeter.persistence;

import dev.netmeter.domain.LabelId;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored usage row with its report's window, as a statement adds it up: a label's packets and bytes counted
 * over {@code [windowStart, windowEnd)}. Rows carry no direction yet (agents count both ways as one).
 */
public record WindowedUsage(LabelId label, long packets, long bytes, Instant windowStart, Instant windowEnd) {
    public WindowedUsage {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
    }
}
