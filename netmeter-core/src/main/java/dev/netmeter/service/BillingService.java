package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.billing.StatementLines;
import dev.netmeter.domain.error.BillingCycleNotFoundException;
import dev.netmeter.domain.error.StatementNotFoundException;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reading and changing a project's billing cycle, and its statements. A change takes effect from the period after
 * the current one ({@link BillingSchedule}). Thread-safe; holds no per-request state.
 */
public final class BillingService {
    private final Transactor tx;
    private final Policy policy;
    private final Clock clock;

    public BillingService(Transactor tx, Policy policy, Clock clock) {
        this.tx = tx;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * A project's billing cycle as of one instant.
     *
     * @param cycle the cycle in force for the current period
     * @param currentPeriod the period the instant lies in
     * @param pending the change that takes effect from the next period, if one was made
     */
    public record CycleState(ProjectId project, BillingCycle cycle, BillingPeriod currentPeriod,
                             Optional<CycleChange> pending) {
        static CycleState of(ProjectId project, BillingSchedule schedule, Instant now) {
            BillingPeriod current = schedule.periodOf(now);
            return new CycleState(project, schedule.cycleFor(current.name()), current, schedule.pending(now));
        }
    }

    /**
     * The project's billing cycle now: the default (calendar months in UTC) if nobody changed it.
     *
     * @throws BillingCycleNotFoundException if the caller may not see the project's
     */
    public CycleState get(RequestContext caller, ProjectId project) {
        requireVisible(caller, project);
        return tx.inTransaction(repos -> CycleState.of(project, repos.billing().schedule(project), clock.instant()));
    }

    /**
     * Makes {@code cycle} the project's from the next period on, in place of a change already pending; the
     * cycle in force now leaves no change pending. A project the caller cannot see is not found (404), one it
     * sees but may not change forbidden (403).
     */
    public CycleState update(RequestContext caller, ProjectId project, BillingCycle cycle) {
        requireVisible(caller, project);
        policy.enforce(Policy.UPDATE_BILLING_CYCLE, caller, project);
        return tx.inTransaction(repos -> {
            Instant now = clock.instant();
            BillingSchedule schedule = repos.billing().schedule(project).withChange(cycle, now);
            store(repos, project, schedule, now);
            return CycleState.of(project, schedule, now);
        });
    }

    /** Replaces what is pending: the periods up to the current one are settled and stay as stored. */
    private static void store(Repositories repos, ProjectId project, BillingSchedule schedule, Instant now) {
        repos.billing().deleteFrom(project, schedule.periodOf(now).name().plusMonths(1));
        schedule.pending(now).ifPresent(change -> repos.billing().upsert(project, change));
    }

    private void requireVisible(RequestContext caller, ProjectId project) {
        if (!policy.allows(Policy.GET_BILLING_CYCLE, caller, project)) {
            throw new BillingCycleNotFoundException(project.value());
        }
    }

    /**
     * A project's open statement over a period or a range: every line of its usage, added up by
     * {@link StatementLines}. Closing a period's statement (keeping it as billed) comes later.
     *
     * @param period the period's name; empty for an arbitrary range
     * @param lines in {@link StatementLines#lines()} order
     */
    public record Statement(ProjectId project, Optional<YearMonth> period, Instant start, Instant end,
                            List<Line> lines) {
        public Statement {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(period, "period");
            lines = List.copyOf(lines);
        }
    }

    /**
     * One line of a statement with its label's name.
     *
     * @param labelName empty if the label was deleted since (its usage is still billed)
     */
    public record Line(StatementLine line, Optional<String> labelName) {
        public Line {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(labelName, "labelName");
        }
    }

    /**
     * The project's statement for period {@code month} of its schedule, or for the period in progress if empty.
     *
     * @throws StatementNotFoundException if the caller may not see the project's
     */
    public Statement statement(RequestContext caller, ProjectId project, Optional<YearMonth> month) {
        requireStatementVisible(caller, project);
        return tx.inSnapshot(repos -> {
            BillingSchedule schedule = repos.billing().schedule(project);
            BillingPeriod period = month.map(schedule::period).orElseGet(() -> schedule.periodOf(clock.instant()));
            return statement(repos, project, Optional.of(period.name()), period.start(), period.end());
        });
    }

    /**
     * The project's statement over {@code [start, end)}, whatever its periods; the caller checks that the range
     * is reasonable (on five-minute marks, not too long: each line holds a number per sample).
     *
     * @throws StatementNotFoundException if the caller may not see the project's
     */
    public Statement statement(RequestContext caller, ProjectId project, Instant start, Instant end) {
        requireStatementVisible(caller, project);
        return tx.inSnapshot(repos -> statement(repos, project, Optional.empty(), start, end));
    }

    /**
     * Adds up the stored days of samples that the range touches (each label's usage per five-minute sample,
     * kept up to date by every report: a month of 100 labels is 3,000 rows, whatever the routers and reports),
     * then names each line's label if it still exists.
     */
    private static Statement statement(Repositories repos, ProjectId project, Optional<YearMonth> period,
                                       Instant start, Instant end) {
        StatementLines lines = new StatementLines(start, end);
        long firstDay = Math.floorDiv(start.getEpochSecond(), DailySamples.DAY_SECONDS);
        long lastDay = Math.floorDiv(end.minusNanos(1).getEpochSecond(), DailySamples.DAY_SECONDS);
        repos.usage().forEachSampleDay(project, firstDay, lastDay,
                (key, day) -> lines.add(key.label(), key.direction(), key.day(), day));
        List<StatementLine> added = lines.lines();
        Map<LabelId, String> names = labelNames(repos, added);
        List<Line> named = added.stream()
                .map(line -> new Line(line, Optional.ofNullable(names.get(line.label()))))
                .toList();
        return new Statement(project, period, start, end, named);
    }

    /** The names of the lines' labels that still exist, in one query (a statement may have hundreds of lines). */
    private static Map<LabelId, String> labelNames(Repositories repos, List<StatementLine> lines) {
        if (lines.isEmpty()) {
            return Map.of();
        }
        List<Object> ids = lines.stream().map(line -> (Object) line.label().toString()).distinct().toList();
        return repos.labels().list(new ListQuery<>(Map.of(LabelField.ID, ids), List.of(), Optional.empty(),
                        Optional.empty())).stream()
                .collect(Collectors.toMap(MeteringLabel::id, MeteringLabel::name));
    }

    private void requireStatementVisible(RequestContext caller, ProjectId project) {
        if (!policy.allows(Policy.GET_STATEMENT, caller, project)) {
            throw new StatementNotFoundException(project.value());
        }
    }
}
