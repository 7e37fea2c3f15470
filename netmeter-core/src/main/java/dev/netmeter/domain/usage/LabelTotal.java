package dev.netmeter.domain.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import java.util.Objects;

/** Everything ever reported for one label, on every router, with the label's project. */
public record LabelTotal(LabelId label, ProjectId project, Usage usage) {
    public LabelTotal {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(usage, "usage");
    }
}
