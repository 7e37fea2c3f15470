package dev.netmeter.domain.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Objects;
import java.util.Set;

/**
 * Which usage a query sums and how: by {@code granularity}, over the rows whose router, label and project
 * are among those given (an empty set does not restrict). Immutable.
 *
 * @param byDirection whether each group is split further by direction (ingress, egress, and usage counted
 *     without a direction): a netmeter addition to Neutron's granularities
 */
public record UsageFilter(UsageGranularity granularity, Set<RouterId> routers, Set<LabelId> labels,
                          Set<ProjectId> projects, boolean byDirection) {
    public UsageFilter {
        Objects.requireNonNull(granularity, "granularity");
        routers = Set.copyOf(routers);
        labels = Set.copyOf(labels);
        projects = Set.copyOf(projects);
    }

    /** A filter whose groups are not split by direction. */
    public UsageFilter(UsageGranularity granularity, Set<RouterId> routers, Set<LabelId> labels,
                       Set<ProjectId> projects) {
        this(granularity, routers, labels, projects, false);
    }
}
