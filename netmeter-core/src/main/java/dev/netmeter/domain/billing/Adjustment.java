package dev.netmeter.domain.billing;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * Usage that arrived after its period was closed: a label's bytes and packets in one direction that belong to
 * {@code period} (whose closed statement never changes), shown on the statement of a later, open period.
 *
 * @param period the period the usage belongs to (its original period), already closed when it arrived
 * @param direction empty for usage reported without a direction
 */
public record Adjustment(LabelId label, Optional<Direction> direction, YearMonth period, long bytes, long packets) {
    public Adjustment {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(period, "period");
        if (bytes < 0 || packets < 0) {
            throw new IllegalArgumentException("an adjustment is never negative: " + bytes + " bytes, " + packets
                    + " packets");
        }
    }
}
