package dev.netmeter.domain.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Objects;
import java.util.Set;

/**
 * Which usage a query sums and how: by {@code granularity}, over the rows whose router, label and project
 * are among those given (an empty set does not restrict). Immutable.
 */
public record UsageFilter(UsageGranularity granularity, Set<RouterId> routers, Set<LabelId> labels,
                          Set<ProjectId> projects) {
    public UsageFilter {
        Objects.requireNonNull(granularity, "granularity");
        routers = Set.copyOf(routers);
        labels = Set.copyOf(labels);
        projects = Set.copyOf(projects);
    }
}
