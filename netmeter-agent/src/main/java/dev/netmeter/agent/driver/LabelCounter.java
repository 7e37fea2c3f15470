package dev.netmeter.agent.driver;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One counter of a label on a router. A label has one counter per direction it has rules for (issue 17), so a
 * packet is counted once per label and direction. A direction-less counter is what agents before issue 17 made,
 * one per label: an upgraded agent reads such a counter a last time and then deletes it, and makes none.
 *
 * @param direction empty for the direction-less counter of an older agent
 */
public record LabelCounter(LabelId label, Optional<Direction> direction) {
    public LabelCounter {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(direction, "direction");
    }

    /** The counter of {@code label} in {@code direction}. */
    public static LabelCounter of(LabelId label, Direction direction) {
        return new LabelCounter(label, Optional.of(direction));
    }

    /** The direction-less counter of {@code label}, as agents before issue 17 made it. */
    public static LabelCounter directionLess(LabelId label) {
        return new LabelCounter(label, Optional.empty());
    }

    /** The counter whose usage {@code key} holds. */
    public static LabelCounter of(UsageKey key) {
        return new LabelCounter(key.label(), key.direction());
    }

    /** The key this counter's usage on {@code router} is kept and reported by, its label in {@code project}. */
    public UsageKey on(RouterId router, ProjectId project) {
        return new UsageKey(router, label, project, direction);
    }
}
