package dev.netmeter.persistence;

import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageGroup;

/** One group's usage in step number {@code step} of a {@link UsageQuery}. Immutable. */
public record UsageSum(UsageGroup group, long step, Usage usage) {
}
