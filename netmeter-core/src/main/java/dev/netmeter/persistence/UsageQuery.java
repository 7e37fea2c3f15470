package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.usage.UsageFilter;
import java.util.Objects;
import java.util.Optional;

/**
 * A sum of stored usage: the rows that {@code filter} selects with {@code fromSecond} ≤ last_update &lt;
 * {@code toSecond}, grouped by the filter's granularity and by step ({@code (last_update - fromSecond) /
 * stepSeconds}).
 *
 * @param project if present, only rows of this project (the caller may read no other)
 * @param limit the most sums returned (in their order; a caller asks for one more than it answers with, to
 *     tell whether there were more)
 */
public record UsageQuery(UsageFilter filter, Optional<ProjectId> project, long fromSecond, long toSecond,
                         long stepSeconds, int limit) {
    public UsageQuery {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(project, "project");
        if (stepSeconds < 1 || toSecond < fromSecond || limit < 1) {
            throw new IllegalArgumentException("bad range, step or limit: [%d, %d) by %d, %d".formatted(fromSecond,
                    toSecond, stepSeconds, limit));
        }
    }
}
