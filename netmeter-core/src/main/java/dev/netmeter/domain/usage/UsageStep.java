package dev.netmeter.domain.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * The usage of one group in one step [{@code start}, {@code end}): the sums of the stored rows whose
 * {@code last_update} falls in the step, the earliest of their first updates and the latest of their last.
 */
public record UsageStep(UsageGroup group, Instant start, Instant end, Usage usage) {
    public UsageStep {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(usage, "usage");
    }
}
