package dev.netmeter.domain.billing;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose samples one stored day holds: a label's usage in one direction, in one UTC day, under the project the
 * label's rows named.
 *
 * @param direction empty for usage reported without a direction
 * @param day days since the epoch, UTC: samples {@code 288 * day} to {@code 288 * day + 287}
 */
public record SampleDayKey(ProjectId project, LabelId label, Optional<Direction> direction, long day)
        implements Comparable<SampleDayKey> {
    /**
     * By label, day, direction (as stored: {@code ""} before {@code egress} before {@code ingress}), then project:
     * the order the stored days are locked in, so that concurrent reports cannot deadlock on them.
     */
    private static final Comparator<SampleDayKey> ORDER = Comparator.comparing(SampleDayKey::label)
            .thenComparingLong(SampleDayKey::day)
            .thenComparing(SampleDayKey::storedDirection)
            .thenComparing(key -> key.project().value());

    public SampleDayKey {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(direction, "direction");
    }

    /** The direction as stored: its wire name, or {@code ""} for none. */
    public String storedDirection() {
        return direction.map(Direction::wireName).orElse("");
    }

    /** The direction stored as {@code text}. */
    public static Optional<Direction> direction(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Direction.fromWire(text).orElseThrow(
                () -> new IllegalArgumentException("not a stored direction: '%s'".formatted(text))));
    }

    @Override
    public int compareTo(SampleDayKey other) {
        return ORDER.compare(this, other);
    }
}
