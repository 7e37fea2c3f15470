package dev.netmeter.domain.usage;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One label on one router (the finest of Neutron's granularities), with the label's project, in one direction.
 *
 * @param direction empty for usage counted both ways as one (Neutron's counting, and agents before issue 17)
 */
public record UsageKey(RouterId router, LabelId label, ProjectId project, Optional<Direction> direction) {
    /**
     * By router, then label, then direction (direction-less first): the order rows are hashed and written in (one
     * lock order for every report). A report holds each (router, label, direction) once, so the project never
     * decides.
     */
    public static final Comparator<UsageKey> ROUTER_LABEL_ORDER =
            Comparator.comparing(UsageKey::router).thenComparing(UsageKey::label)
                    .thenComparingInt(key -> key.direction().map(direction -> direction.ordinal() + 1).orElse(0));

    public UsageKey {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(direction, "direction");
    }

    /** A key of usage counted without a direction. */
    public UsageKey(RouterId router, LabelId label, ProjectId project) {
        this(router, label, project, Optional.empty());
    }

    /** This key without its direction: what Neutron's {@code l3.meter} notifications are keyed by. */
    public UsageKey withoutDirection() {
        return direction.isEmpty() ? this : new UsageKey(router, label, project);
    }
}
