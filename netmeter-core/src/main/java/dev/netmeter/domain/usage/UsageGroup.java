package dev.netmeter.domain.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Objects;
import java.util.Optional;

/** The keys of one sum: those of its {@link UsageGranularity} are present, the others empty. Immutable. */
public record UsageGroup(Optional<RouterId> router, Optional<LabelId> label, Optional<ProjectId> project) {
    public UsageGroup {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
    }
}
