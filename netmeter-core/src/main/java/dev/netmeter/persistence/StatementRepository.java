package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Closed statements and the adjustments of usage that arrived after its period closed. Bound to one
 * transaction, which the caller owns; not thread-safe.
 */
public interface StatementRepository {
    /**
     * Locks the closing of {@code project}'s periods until the transaction ends, waiting for a transaction that
     * holds it: closing a period and storing a report that may reach into a closed or closable period both take
     * it, so that a report's rows are either in a closed statement or recorded as adjustments. Callers lock
     * several projects in {@link ProjectId} order.
     */
    void lockClosing(ProjectId project);

    /** The project's closed statement of {@code period}, if it is closed. */
    Optional<ClosedStatement> find(ProjectId project, YearMonth period);

    /**
     * Stores {@code statement} unless the project's statement of its period is stored already.
     *
     * @return whether it was stored (false: another was, see {@link #find})
     */
    boolean insert(ClosedStatement statement);

    /**
     * The closed periods of {@code projects} that overlap {@code [from, to)}, or contain {@code from} if the
     * range is empty, ordered by project and period.
     */
    List<ClosedPeriod> closedOverlapping(Collection<ProjectId> projects, Instant from, Instant to);

    /** The names of the project's closed periods from {@code month} on. */
    SortedSet<YearMonth> closedFrom(ProjectId project, YearMonth month);

    /** Stores the adjustments a report records (at most one per report, project, label, direction and period). */
    void insertAdjustments(List<RecordedAdjustment> adjustments);

    /**
     * The adjustments shown on the project's {@code period}, summed per original period, label and direction,
     * ordered by original period, label, then direction-less before ingress before egress.
     */
    List<Adjustment> adjustmentsShownOn(ProjectId project, YearMonth period);

    /** The adjustments recorded against the project's {@code period} (whatever they are shown on), summed as above. */
    List<Adjustment> adjustmentsOf(ProjectId project, YearMonth period);

    /** Every project that reported usage or has a billing cycle, with what decides which periods to close. */
    List<ClosingCandidate> closingCandidates();
}
