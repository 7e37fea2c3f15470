package dev.netmeter.agent.driver;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One label as the data plane counts it: its id, its rules, and the counters it has. A label has a counter for
 * each direction it has rules for; {@code idle} names counters kept although no rule counts into them any more:
 * a counter that goes is first switched off (kept, idle), read a last time, and only then deleted, so that what it
 * counted while the change was being made is not lost.
 *
 * @param idle counters of this label kept without rules counting into them (a direction that lost its rules, or an
 *             older agent's direction-less counter)
 */
public record LabelMetering(LabelId label, List<MeteringLabelRule> rules, Set<LabelCounter> idle) {
    public LabelMetering {
        Objects.requireNonNull(label, "label");
        rules = List.copyOf(rules);
        idle = Set.copyOf(idle);
        if (idle.stream().anyMatch(counter -> !counter.label().equals(label))) {
            throw new IllegalArgumentException("idle counters of another label than " + label + ": " + idle);
        }
    }

    /** The label with its rules and only the counters they count into. */
    public LabelMetering(LabelId label, List<MeteringLabelRule> rules) {
        this(label, rules, Set.of());
    }

    /** The counters of this label: one per direction of its rules (ingress first), then the idle ones. */
    public Set<LabelCounter> counters() {
        Set<LabelCounter> counters = new LinkedHashSet<>();
        for (Direction direction : Direction.values()) {
            if (rules.stream().anyMatch(rule -> rule.direction() == direction)) {
                counters.add(LabelCounter.of(label, direction));
            }
        }
        idle.stream().sorted(LabelMetering::byDirection).forEach(counters::add);
        return counters;
    }

    /** Direction-less first, then by direction: an order that does not depend on a set's. */
    private static int byDirection(LabelCounter a, LabelCounter b) {
        return Integer.compare(a.direction().map(direction -> direction.ordinal() + 1).orElse(0),
                b.direction().map(direction -> direction.ordinal() + 1).orElse(0));
    }
}
