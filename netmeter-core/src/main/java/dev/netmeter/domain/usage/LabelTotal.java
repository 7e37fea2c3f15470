package dev.netmeter.domain.usage;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything ever reported for one label in one direction, on every router, with the label's project.
 *
 * @param direction empty for usage counted both ways as one
 */
public record LabelTotal(LabelId label, ProjectId project, Optional<Direction> direction, Usage usage) {
    public LabelTotal {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(usage, "usage");
    }

    /** A label's total of usage counted without a direction. */
    public LabelTotal(LabelId label, ProjectId project, Usage usage) {
        this(label, project, Optional.empty(), usage);
    }
}
