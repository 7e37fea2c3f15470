package dev.netmeter.agent.usage;

import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent keeps and reports usage by: one counter of a label on one router (Neutron's finest granularity,
 * split by direction since issue 17), with the label's project. The server's {@link UsageKey} has no direction
 * yet; a report row carries it on the wire ({@code dev.netmeter.wire.UsageRow#direction}).
 *
 * @param direction empty for a direction-less counter (made by an agent before issue 17), and for usage a ledger
 *                  written before issue 17 holds
 */
public record CounterKey(RouterId router, LabelId label, ProjectId project, Optional<Direction> direction) {
    /** By router, label, then direction (direction-less first): the order a report's rows are written in. */
    public static final Comparator<CounterKey> ORDER = Comparator.comparing(CounterKey::router)
            .thenComparing(CounterKey::label)
            .thenComparing(key -> key.direction().map(direction -> direction.ordinal() + 1).orElse(0));

    public CounterKey {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(direction, "direction");
    }

    /** The key of {@code counter} on {@code router}, its label in {@code project}. */
    public static CounterKey of(RouterId router, LabelCounter counter, ProjectId project) {
        return new CounterKey(router, counter.label(), project, counter.direction());
    }

    /** The counter this key counts. */
    public LabelCounter counter() {
        return new LabelCounter(label, direction);
    }

    /** The direction as the wire spells it, {@code null} for none. */
    public String wireDirection() {
        return direction.map(Direction::wireName).orElse(null);
    }

    /** The direction the wire spells {@code text} ({@code null}: none); an unknown spelling is refused. */
    public static Optional<Direction> direction(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(Direction.fromWire(text).orElseThrow(() -> new IllegalArgumentException(
                "not a direction: " + text)));
    }
}
