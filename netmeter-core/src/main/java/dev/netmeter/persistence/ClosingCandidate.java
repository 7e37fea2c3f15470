package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * A project whose periods may need closing: one that reported usage or has a billing cycle of its own.
 *
 * @param firstUsage the earliest {@code first_update} of its usage, from the running totals; empty if none
 * @param firstCycleChange the first period a cycle change of its took effect from, if any
 * @param lastClosed its latest closed period, if any
 */
public record ClosingCandidate(ProjectId project, Optional<Instant> firstUsage, Optional<YearMonth> firstCycleChange,
                               Optional<YearMonth> lastClosed) {
    public ClosingCandidate {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(firstUsage, "firstUsage");
        Objects.requireNonNull(firstCycleChange, "firstCycleChange");
        Objects.requireNonNull(lastClosed, "lastClosed");
    }
}
