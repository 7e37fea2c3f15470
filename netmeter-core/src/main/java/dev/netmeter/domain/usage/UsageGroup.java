package dev.netmeter.domain.usage;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of one sum: those of its {@link UsageGranularity} are present, the others empty. Immutable.
 *
 * @param direction the direction of a sum split by direction ({@link UsageFilter#byDirection()}); empty when not
 *     split, or for usage counted without a direction
 */
public record UsageGroup(Optional<RouterId> router, Optional<LabelId> label, Optional<ProjectId> project,
                         Optional<Direction> direction) {
    public UsageGroup {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(direction, "direction");
    }

    /** The keys of a sum not split by direction. */
    public UsageGroup(Optional<RouterId> router, Optional<LabelId> label, Optional<ProjectId> project) {
        this(router, label, project, Optional.empty());
    }
}
