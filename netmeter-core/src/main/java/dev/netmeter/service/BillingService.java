package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.billing.StatementLines;
import dev.netmeter.domain.error.BillingCycleNotFoundException;
import dev.netmeter.domain.error.ServiceUnavailableException;
import dev.netmeter.domain.error.StatementNotFoundException;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.persistence.ClosedStatement;
import dev.netmeter.persistence.ClosedStatement.Named;
import dev.netmeter.persistence.ClosingCandidate;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and changing a project's billing cycle, and its statements. A change takes effect from the period after
 * the current one ({@link BillingSchedule}). Thread-safe; holds no per-request state.
 */
public final class BillingService {
    private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
    /**
     * How long after its end a period is closed, unless configured ({@code billing.close_grace}): twelve of the
     * agents' five-minute report intervals, time for the last report of a period and its retries to arrive.
     */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofHours(1);

    private final Transactor tx;
    private final Policy policy;
    private final Clock clock;
    private final Duration closeGrace;

    /** Closes periods {@link #DEFAULT_CLOSE_GRACE} after their end. */
    public BillingService(Transactor tx, Policy policy, Clock clock) {
        this(tx, policy, clock, DEFAULT_CLOSE_GRACE);
    }

    /**
     * @param closeGrace how long after its end a period's statement is closed: usage that arrives later is
     *     recorded as an adjustment on a later period ({@link LateUsage})
     */
    public BillingService(Transactor tx, Policy policy, Clock clock, Duration closeGrace) {
        this.tx = tx;
        this.policy = policy;
        this.clock = clock;
        this.closeGrace = closeGrace;
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
     * A project's statement over a period or a range: every line of its usage, added up by
     * {@link StatementLines}, and the late usage of closed periods it shows. Open (computed when asked) until
     * the period is closed; then as stored when it closed.
     *
     * @param period the period's name; empty for an arbitrary range
     * @param lines in {@link StatementLines#lines()} order
     * @param adjustments usage of earlier, closed periods that arrived after they closed, by original period,
     *     label and direction; none for a range
     * @param closing when the statement was closed and its content hash; empty while open
     */
    public record Statement(ProjectId project, Optional<YearMonth> period, Instant start, Instant end,
                            List<Line> lines, List<NamedAdjustment> adjustments, Optional<Closing> closing) {
        public Statement {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(period, "period");
            lines = List.copyOf(lines);
            adjustments = List.copyOf(adjustments);
            Objects.requireNonNull(closing, "closing");
        }

        /** An open statement without adjustments. */
        public Statement(ProjectId project, Optional<YearMonth> period, Instant start, Instant end, List<Line> lines) {
            this(project, period, start, end, lines, List.of(), Optional.empty());
        }

        /** This statement with {@code more} adjustments. */
        Statement withAdjustments(List<NamedAdjustment> more) {
            return new Statement(project, period, start, end, lines, more, closing);
        }

        /** This statement as closed at {@code closedAt}, with its content hash. */
        Statement closedAt(Instant closedAt) {
            return new Statement(project, period, start, end, lines, adjustments,
                    Optional.of(new Closing(closedAt, StatementDigest.sha256(this))));
        }
    }

    /**
     * How a statement was closed.
     *
     * @param contentSha256 SHA-256 (hex) of the statement's canonical form ({@link StatementDigest})
     */
    public record Closing(Instant closedAt, String contentSha256) {
        public Closing {
            Objects.requireNonNull(closedAt, "closedAt");
            Objects.requireNonNull(contentSha256, "contentSha256");
        }
    }

    /**
     * An adjustment with its label's name.
     *
     * @param labelName empty if the label was deleted since
     */
    public record NamedAdjustment(Adjustment adjustment, Optional<String> labelName) {
        public NamedAdjustment {
            Objects.requireNonNull(adjustment, "adjustment");
            Objects.requireNonNull(labelName, "labelName");
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
     * The project's statement for period {@code month} of its schedule, or for the period in progress if empty:
     * the stored one if the period is closed; closed on the spot if its grace time passed and nobody closed it
     * yet; else open, with the adjustments shown on it.
     *
     * @throws StatementNotFoundException if the caller may not see the project's
     */
    public Statement statement(RequestContext caller, ProjectId project, Optional<YearMonth> month) {
        requireStatementVisible(caller, project);
        Instant now = clock.instant();
        Statement read = tx.inSnapshot(repos -> {
            BillingSchedule schedule = repos.billing().schedule(project);
            BillingPeriod period = month.map(schedule::period).orElseGet(() -> schedule.periodOf(now));
            Optional<ClosedStatement> closed = repos.statements().find(project, period.name());
            if (closed.isPresent()) {
                return stored(closed.get());
            }
            if (closable(period, now)) {
                return null;    // closed below, in a transaction that may write
            }
            return statement(repos, project, Optional.of(period.name()), period.start(), period.end())
                    .withAdjustments(named(repos, repos.statements().adjustmentsShownOn(project, period.name())));
        });
        // The period in progress is never closable (it ends after now): a period to close was named.
        return read != null ? read : close(project, month.orElseThrow());
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

    /** Whether {@code period} ended at least the grace time before {@code now}: its statement may be closed. */
    private boolean closable(BillingPeriod period, Instant now) {
        return !period.end().plus(closeGrace).isAfter(now);
    }

    /**
     * Closes the project's statement of {@code month}, which must be closable, unless it is closed already: under
     * the project's closing lock, so that of servers closing it at once one stores it and the others read it, and
     * no report adds to the period meanwhile ({@link LateUsage}). The statement is computed as an open one is.
     *
     * @return the stored statement
     */
    Statement close(ProjectId project, YearMonth month) {
        return tx.inTransaction(repos -> {
            repos.statements().lockClosing(project);
            Optional<ClosedStatement> stored = repos.statements().find(project, month);
            if (stored.isPresent()) {
                return stored(stored.get());
            }
            BillingPeriod period = repos.billing().schedule(project).period(month);
            Statement closed = statement(repos, project, Optional.of(month), period.start(), period.end())
                    .withAdjustments(named(repos, repos.statements().adjustmentsShownOn(project, month)))
                    .closedAt(clock.instant());
            Closing closing = closed.closing().orElseThrow();
            repos.statements().insert(new ClosedStatement(project, period, closing.closedAt(),
                    closing.contentSha256(),
                    closed.lines().stream().map(line -> new Named<>(line.line(), line.labelName())).toList(),
                    closed.adjustments().stream()
                            .map(adjustment -> new Named<>(adjustment.adjustment(), adjustment.labelName())).toList()));
            return closed;
        });
    }

    /**
     * Closes every period whose end and grace time passed, of every project that reported usage or has a billing
     * cycle of its own, oldest first; each in its own transaction. Safe to run on several servers at once.
     *
     * @return how many periods this call closed or found closed
     */
    public int closeDue() {
        Instant due = clock.instant().minus(closeGrace);
        int closed = 0;
        for (ClosingCandidate candidate : tx.inTransaction(repos -> repos.statements().closingCandidates())) {
            Optional<YearMonth> first = firstToClose(candidate, due);
            if (first.isPresent()) {
                closed += closeDue(candidate.project(), first.get(), due);
            }
        }
        return closed;
    }

    /**
     * Closes the project's periods from {@code first} on that ended by {@code due}. A project whose statement cannot
     * be made (one too large to compute: {@link StatementLines#MAX_SAMPLES_HELD}) is logged and skipped, so that it
     * does not keep every project after it open; a database that is away ends the run (the next one tries again).
     */
    private int closeDue(ProjectId project, YearMonth first, Instant due) {
        int closed = 0;
        try {
            BillingSchedule schedule = tx.inTransaction(repos -> repos.billing().schedule(project));
            for (YearMonth month = first; !schedule.period(month).end().isAfter(due); month = month.plusMonths(1)) {
                close(project, month);
                closed++;
            }
        } catch (ServiceUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("billing: the statements of project {} could not be closed, tried again later: {}",
                    project.value(), e.getMessage());
        }
        return closed;
    }

    /**
     * The first period of {@code candidate} that may need closing, if one may be due: the one after its last
     * closed period, else the one of its first usage (a day earlier: a report's window may start before its first
     * update) or the one before its first change of cycle, whichever is earlier.
     */
    private static Optional<YearMonth> firstToClose(ClosingCandidate candidate, Instant due) {
        Optional<YearMonth> first = candidate.lastClosed().map(month -> month.plusMonths(1)).or(() -> Stream.concat(
                candidate.firstUsage().map(usage -> YearMonth.from(usage.minus(Duration.ofDays(1))
                        .atOffset(ZoneOffset.UTC))).stream(),
                candidate.firstCycleChange().map(month -> month.minusMonths(1)).stream())
                .min(Comparator.naturalOrder()));
        // Period M ends where M+1 starts: on day 1 to 28 of month M+1 in a zone at most 14 hours from UTC, so not
        // before M+1's first day minus 14 hours. Most runs stop here, without a query.
        return first.filter(month -> !month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                .minus(Duration.ofHours(14)).isAfter(due));
    }

    private static Statement stored(ClosedStatement closed) {
        BillingPeriod period = closed.period();
        return new Statement(closed.project(), Optional.of(period.name()), period.start(), period.end(),
                closed.lines().stream().map(line -> new Line(line.value(), line.labelName())).toList(),
                closed.adjustments().stream()
                        .map(adjustment -> new NamedAdjustment(adjustment.value(), adjustment.labelName())).toList(),
                Optional.of(new Closing(closed.closedAt(), closed.contentSha256())));
    }

    private static List<NamedAdjustment> named(Repositories repos, List<Adjustment> adjustments) {
        return adjustments.stream()
                .map(adjustment -> new NamedAdjustment(adjustment, labelName(repos, adjustment.label())))
                .toList();
    }

    private static Optional<String> labelName(Repositories repos, LabelId label) {
        return repos.labels().find(label).map(MeteringLabel::name);
    }

    private void requireStatementVisible(RequestContext caller, ProjectId project) {
        if (!policy.allows(Policy.GET_STATEMENT, caller, project)) {
            throw new StatementNotFoundException(project.value());
        }
    }
}
