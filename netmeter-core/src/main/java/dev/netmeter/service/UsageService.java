package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.ReportSamples;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.error.UsageReportConflictException;
import dev.netmeter.domain.error.UsageReportExpiredException;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageStep;
import dev.netmeter.domain.usage.UsageWindow;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.persistence.UsageQuery;
import dev.netmeter.persistence.UsageSum;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;

/**
 * Usage reports from agents, stored once each, and what is read from them: sums by granularity and step,
 * and running totals for monitoring. Thread-safe; counts the reports it stored and replayed since start.
 *
 * <p>Neutron publishes each report as an {@code l3.meter} notification and keeps nothing
 * (neutron/services/metering/agents/metering_agent.py, {@code _metering_notification}); netmeter stores
 * reports, so that a resent one is recognised and usage can be queried.
 */
public final class UsageService {
    /** The most sums one usage query answers with: about 20 MB of JSON. */
    public static final int MAX_SUMS = 100_000;
    /** Reports deleted in one transaction when pruning: small enough not to hold locks for long. */
    public static final int PRUNE_BATCH = 1_000;
    /** Reports folded into the per-router totals in one transaction: the routers' totals are rewritten once. */
    public static final int FOLD_BATCH = 50;
    /**
     * How much older than the horizon a report must be to be deleted: a report is refused once it is past the
     * horizon of any server, and deleted only later, so that servers whose clocks differ by less than this
     * never store again a report another one deleted.
     */
    public static final Duration PRUNE_MARGIN = Duration.ofHours(1);
    /**
     * The longest window a report may count over, as the longest statement range: a report writes every day of
     * its window for each of its labels, so an unbounded window would be an unbounded write.
     */
    public static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final Transactor tx;
    private final Policy policy;
    private final Clock clock;
    private final Optional<Duration> retention;
    private final UsageNotifications notifications;
    private final LateUsage lateUsage;
    private final LongAdder stored = new LongAdder();
    private final LongAdder replayed = new LongAdder();

    /**
     * @param retention how long reports and their rows are kept ({@link #prune}); empty: for ever
     */
    public UsageService(Transactor tx, Policy policy, Clock clock, Optional<Duration> retention) {
        this(tx, policy, clock, retention, UsageNotifications.NONE);
    }

    /**
     * @param retention how long reports and their rows are kept ({@link #prune}); empty: for ever
     * @param notifications what each stored report is told as, written to the outbox with the report
     */
    public UsageService(Transactor tx, Policy policy, Clock clock, Optional<Duration> retention,
                        UsageNotifications notifications) {
        this(tx, policy, clock, retention, notifications, BillingService.DEFAULT_CLOSE_GRACE);
    }

    /**
     * @param retention how long reports and their rows are kept ({@link #prune}); empty: for ever
     * @param notifications what each stored report is told as, written to the outbox with the report
     * @param closeGrace how long after its end a period is closed ({@link BillingService}): usage of a closed
     *     period is recorded as an adjustment on a later one
     */
    public UsageService(Transactor tx, Policy policy, Clock clock, Optional<Duration> retention,
                        UsageNotifications notifications, Duration closeGrace) {
        this.tx = tx;
        this.policy = policy;
        this.clock = clock;
        this.retention = retention;
        this.notifications = notifications;
        this.lateUsage = new LateUsage(closeGrace);
    }

    /** A report as stored, and whether this call stored it (false: it had been stored before). */
    public record Received(StoredUsageReport report, boolean created) {
    }

    /**
     * Throws unless {@code caller} may send usage reports: asked before a report of up to 64 MiB is read.
     *
     * @throws dev.netmeter.domain.error.PolicyNotAuthorizedException if it may not
     */
    public void checkMayReport(RequestContext caller) {
        policy.enforce(Policy.CREATE_USAGE_REPORT, caller, caller.projectId());
    }

    /**
     * Stores {@code report} with its rows and adds them to the running totals per label and to each label's
     * five-minute samples ({@link ReportSamples}), all in one transaction (the totals per router follow, in
     * {@link #foldTotals}); if a report with its id is stored already, stores nothing and answers with the stored
     * one. The routers and labels named need not exist: a label deleted after its last count is still billed. The
     * share of its rows that falls in a closed period is also recorded as an adjustment on a later, open period
     * ({@link LateUsage}).
     *
     * @throws UsageReportConflictException if the stored report of this id has other content
     * @throws InvalidInputException if its window is longer than {@link #MAX_WINDOW}
     */
    public Received receive(RequestContext caller, NewUsageReport report) {
        checkMayReport(caller);
        Optional<Instant> horizon = horizon();
        if (horizon.isPresent() && report.report().windowEnd().isBefore(horizon.get())) {
            throw new UsageReportExpiredException(report.report().id(), report.report().windowEnd(), horizon.get());
        }
        if (Duration.between(report.report().windowStart(), report.report().windowEnd()).compareTo(MAX_WINDOW) > 0) {
            throw new InvalidInputException("a report's window is at most %d days (its usage is kept per day)"
                    .formatted(MAX_WINDOW.toDays()));
        }
        // The content hash (a sort and a SHA-256 of every row: about a fifth of a 100,000-row report's time) is
        // computed on another thread while this one writes; the header is stored without it and given it last.
        FutureTask<String> hashing = new FutureTask<>(report::contentSha256);
        Thread.ofVirtual().name("netmeter-report-hash").start(hashing);
        StoredUsageReport unhashed = StoredUsageReport.of(report, "");
        SortedMap<SampleDayKey, DailySamples> days = samples(report);    // spread, holding no lock
        Received received = tx.inTransaction(repos -> {
            Instant now = clock.instant();
            repos.usage().recordReportFrom(unhashed.host(), now);
            if (!repos.usage().insertReport(unhashed, now)) {
                // The insert found the id stored (by a commit it waited for, if it raced one): it is visible.
                StoredUsageReport existing = repos.usage().findReport(unhashed.id()).orElseThrow();
                if (!existing.contentSha256().equals(result(hashing))) {
                    throw new UsageReportConflictException(unhashed.id());
                }
                return new Received(existing, false);
            }
            // Before the rows are stored: it may lock the closing of the report's projects (see LateUsage).
            lateUsage.record(repos, report.report(), now);
            repos.usage().insertUsage(unhashed.id(), report.report().usage());
            repos.usage().addToLabelTotals(report.report().usage());
            repos.usage().addSamples(days);
            if (notifications.enabled()) {
                // In this transaction: a report is stored with its notifications or not at all (the outbox).
                repos.outbox().enqueue(notifications.of(report, labels(repos, report), now), now);
            }
            StoredUsageReport header = StoredUsageReport.of(report, result(hashing));
            repos.usage().recordContentHash(header.id(), header.contentSha256());
            return new Received(header, true);
        });
        (received.created() ? stored : replayed).increment();
        return received;
    }

    /** What {@code task} computed, once it has; its failure rethrown as it was. */
    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a usage report was hashed", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** What the report adds to its labels' days of samples; a label's rows past a long are refused, as totals are. */
    private static SortedMap<SampleDayKey, DailySamples> samples(NewUsageReport report) {
        try {
            return ReportSamples.of(report.report());
        } catch (ArithmeticException e) {
            throw new InvalidInputException("usage would make a running total exceed %d".formatted(Long.MAX_VALUE));
        }
    }

    private Map<LabelId, MeteringLabel> labels(Repositories repos, NewUsageReport report) {
        if (!notifications.needsLabels()) {
            return Map.of();
        }
        Map<LabelId, MeteringLabel> labels = new HashMap<>();
        report.report().usage().keySet().stream().map(UsageKey::label).distinct()
                .forEach(id -> repos.labels().find(id).ifPresent(label -> labels.put(id, label)));
        return labels;
    }

    /**
     * Deletes the reports that ended before the retention horizon (and {@link #PRUNE_MARGIN}), with their rows,
     * a batch per transaction;
     * the running totals stay. Nothing without a retention. Reports older than the horizon are refused from
     * then on ({@link #receive}), so a report id is forgotten only once it can no longer be stored again.
     *
     * @return what was deleted
     */
    public UsagePruned prune() {
        Optional<Instant> horizon = horizon();
        if (horizon.isEmpty()) {
            return UsagePruned.NOTHING;
        }
        foldTotals();       // a report is deleted only once its rows are in the totals
        UsagePruned pruned = UsagePruned.NOTHING;
        UsagePruned batch;
        do {
            Instant before = horizon.get().minus(PRUNE_MARGIN);
            batch = tx.inTransaction(repos -> repos.usage().deleteReportsEndedBefore(before, PRUNE_BATCH));
            pruned = pruned.plus(batch);
        } while (batch.reports() == PRUNE_BATCH);
        return pruned;
    }

    /**
     * Adds the rows of the stored reports not folded yet to the running totals per (router, label, direction),
     * {@link #FOLD_BATCH} reports per transaction, until none is left. The report's own transaction does not:
     * rewriting every router's totals took most of the time of a 100,000-row report (issue 16). Reading the
     * totals adds what is not folded yet, so folding late changes no answer; it keeps that reading short.
     *
     * @return how many reports were folded
     */
    public int foldTotals() {
        int folded = 0;
        int batch;
        do {
            batch = tx.inTransaction(repos -> repos.usage().foldRouterTotals(FOLD_BATCH));
            folded += batch;
        } while (batch == FOLD_BATCH);
        return folded;
    }

    /** The oldest window end kept, as of now; empty without a retention. */
    private Optional<Instant> horizon() {
        return retention.map(kept -> clock.instant().minus(kept));
    }

    /**
     * The caller's usage in {@code window}, as {@code filter} sums it: every project's for an admin, its own
     * project's for a member (rows of labels of other projects match nothing; filters on them are no error).
     */
    public List<UsageStep> usage(RequestContext caller, UsageFilter filter, UsageWindow window) {
        Policy.Scope readable = policy.readable(Policy.GET_USAGE, caller);
        if (readable == Policy.Scope.NONE || window.endSecond() <= window.firstSecond()) {
            return List.of();   // nothing readable, or a range between two whole seconds: no row fits
        }
        Optional<ProjectId> project = readable == Policy.Scope.OWN_PROJECT
                ? Optional.of(caller.projectId()) : Optional.empty();
        UsageQuery query = new UsageQuery(filter, project, window.firstSecond(), window.endSecond(),
                window.stepSeconds(), MAX_SUMS + 1);
        List<UsageSum> sums = tx.inTransaction(repos -> repos.usage().sum(query));
        if (sums.size() > MAX_SUMS) {
            throw new InvalidRequestException(("More than %d usage sums match; ask for fewer with filters, a shorter "
                    + "range or a longer step.").formatted(MAX_SUMS));
        }
        return sums.stream()
                .map(sum -> {
                    UsageWindow.UsageStepBounds bounds = window.bounds(sum.step());
                    return new UsageStep(sum.group(), bounds.start(), bounds.end(), sum.usage());
                })
                .toList();
    }

    /**
     * The window a query asks for, with defaults as of now: see {@link UsageWindow#of}.
     *
     * @throws dev.netmeter.domain.error.InvalidRequestException naming the parameter that is wrong
     */
    public UsageWindow window(Optional<Instant> start, Optional<Instant> end, Optional<Long> stepSeconds) {
        return UsageWindow.of(start, end, stepSeconds, clock.instant());
    }

    /**
     * What {@code /metrics} shows of stored usage.
     *
     * @param labels every label's total, ordered by label
     * @param routerLabels every (router, label)'s total, if asked for; else empty
     * @param lastReports each host's last report, ordered by host
     */
    public record Totals(List<LabelTotal> labels, SequencedMap<UsageKey, Usage> routerLabels,
                         SequencedMap<String, Instant> lastReports) {
    }

    /**
     * The running totals and the hosts' last reports, read in one snapshot. The label totals are rows kept up
     * to date by every stored report, one per label; the totals per router are one row per (router, label),
     * 100,000 at 1,000 routers of 100 labels, so they are read only when {@code perRouter} asks for them.
     */
    public Totals totals(RequestContext caller, boolean perRouter) {
        policy.enforce(Policy.GET_METRICS, caller, caller.projectId());
        return tx.inSnapshot(repos -> new Totals(repos.usage().labelTotals(),
                perRouter ? repos.usage().totals() : new LinkedHashMap<>(), repos.usage().lastReports()));
    }

    /**
     * Whose usage {@code caller} reads: every project's, its own project's, or none. Says what {@link #usage}
     * answers to this caller, so that a client (the dashboard) can offer what the API would show, no more.
     */
    public Policy.Scope usageScope(RequestContext caller) {
        return policy.readable(Policy.GET_USAGE, caller);
    }

    /** Whether {@code caller} may read the agents' last reports ({@link #agents}). */
    public boolean mayReadAgents(RequestContext caller) {
        return policy.allows(Policy.GET_AGENTS, caller, caller.projectId());
    }

    /**
     * Each agent host's last report as of now, ordered by host; stale once it is older than three of the agents'
     * report intervals ({@link AgentReport#of}).
     *
     * @throws dev.netmeter.domain.error.PolicyNotAuthorizedException unless the caller may read them
     */
    public List<AgentReport> agents(RequestContext caller, Duration reportInterval) {
        policy.enforce(Policy.GET_AGENTS, caller, caller.projectId());
        SequencedMap<String, Instant> lastReports = tx.inTransaction(repos -> repos.usage().lastReports());
        Instant now = clock.instant();
        return lastReports.entrySet().stream()
                .map(host -> AgentReport.of(host.getKey(), host.getValue(), now, reportInterval))
                .toList();
    }

    /** Reports stored since this service started (first arrivals). */
    public long reportsStored() {
        return stored.sum();
    }

    /** Reports received again since this service started, answered with the stored one. */
    public long replaysReceived() {
        return replayed.sum();
    }
}
