package dev.netmeter.domain.billing;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a statement: a label's usage in one direction over a period, and its burstable rate.
 *
 * @param direction empty for usage reported without a direction (by agents that count both ways as one)
 * @param bytes the bytes in the period (a window across its start or end counts pro rata)
 * @param packets the packets in the period, shared the same way
 */
public record StatementLine(LabelId label, Optional<Direction> direction, long bytes, long packets,
                            BurstableRate rate) {
    public StatementLine {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(rate, "rate");
    }
}
