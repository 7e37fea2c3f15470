package dev.netmeter.persistence;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored usage row with its report's window, as a statement adds it up: a label's packets and bytes counted
 * over {@code [windowStart, windowEnd)} in one direction (empty: counted both ways as one).
 */
public record WindowedUsage(LabelId label, Optional<Direction> direction, long packets, long bytes,
                            Instant windowStart, Instant windowEnd) {
    public WindowedUsage {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
    }
}
