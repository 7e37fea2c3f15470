package dev.netmeter.service;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.FiveMinuteSamples;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.ClosedPeriod;
import dev.netmeter.persistence.RecordedAdjustment;
import dev.netmeter.persistence.Repositories;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Usage that arrives after its period closed: the share of each of a report's rows that falls in a closed period
 * of the row's project (spread over five-minute samples as statement lines spread it, so shares are exact) is
 * recorded as an adjustment, shown on the first period after it that is still open. The closed statement never
 * changes; its lines and the adjustments recorded against it add up to the stored rows of its range.
 * Thread-safe; runs inside the report's transaction.
 */
final class LateUsage {
    /**
     * How far apart the clocks of servers on one database may be, plus how long a report's transaction may run:
     * a report whose window starts later than this before the grace time is past can overlap no period that is
     * closed or being closed, and skips all of this.
     */
    static final Duration MARGIN = Duration.ofMinutes(10);

    private final Duration closeGrace;

    LateUsage(Duration closeGrace) {
        this.closeGrace = closeGrace;
    }

    /**
     * Records the adjustments of {@code report}, stored at {@code now}. A report that may reach into a closed or
     * closable period locks its projects' closing first ({@code lockClosing}, in project order), so that no period
     * of theirs is closed while the report's rows are being stored.
     */
    void record(Repositories repos, UsageReport report, Instant now) {
        if (!report.windowStart().isBefore(now.minus(closeGrace).plus(MARGIN)) || report.usage().isEmpty()) {
            return;     // the normal case: the report is of an open period that nobody can be closing
        }
        SortedSet<String> projects = report.usage().keySet().stream().map(key -> key.project().value())
                .collect(Collectors.toCollection(TreeSet::new));
        projects.forEach(project -> repos.statements().lockClosing(new ProjectId(project)));
        List<ClosedPeriod> closed = repos.statements().closedOverlapping(
                projects.stream().map(ProjectId::new).toList(), report.windowStart(), report.windowEnd());
        List<RecordedAdjustment> adjustments = new ArrayList<>();
        for (ClosedPeriod period : closed) {
            YearMonth shownOn = firstOpenAfter(repos, period.project(), period.period().name());
            shares(report, period).forEach((key, share) -> adjustments.add(new RecordedAdjustment(report.id(),
                    period.project(), new Adjustment(key.label(), key.direction(), period.period().name(), share[0],
                    share[1]), shownOn, now)));
        }
        repos.statements().insertAdjustments(adjustments);
    }

    /** The first period after {@code month} that is not closed. */
    private static YearMonth firstOpenAfter(Repositories repos, ProjectId project, YearMonth month) {
        SortedSet<YearMonth> closed = repos.statements().closedFrom(project, month.plusMonths(1));
        YearMonth open = month.plusMonths(1);
        while (closed.contains(open)) {
            open = open.plusMonths(1);
        }
        return open;
    }

    /** The bytes and packets of the report's rows of the period's project that fall in it, per label and direction. */
    private static Map<Line, long[]> shares(UsageReport report, ClosedPeriod period) {
        Map<Line, long[]> shares = new LinkedHashMap<>();
        report.usage().entrySet().stream()
                .filter(row -> row.getKey().project().equals(period.project()))
                .sorted(Map.Entry.comparingByKey(UsageKey.ROUTER_LABEL_ORDER))
                .forEach(row -> {
                    Usage usage = row.getValue();
                    long bytes = shareIn(period.period(), usage.bytes(), report.windowStart(), report.windowEnd());
                    long packets = shareIn(period.period(), usage.packets(), report.windowStart(),
                            report.windowEnd());
                    if (bytes > 0 || packets > 0) {
                        long[] sum = shares.computeIfAbsent(new Line(row.getKey().label(), row.getKey().direction()),
                                line -> new long[2]);
                        sum[0] = Math.addExact(sum[0], bytes);
                        sum[1] = Math.addExact(sum[1], packets);
                    }
                });
        Map<Line, long[]> ordered = new LinkedHashMap<>();
        shares.entrySet().stream().sorted(Map.Entry.comparingByKey(Line.ORDER))
                .forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
        return ordered;
    }

    /**
     * The part of {@code count}, counted over {@code [start, end)}, that a statement of {@code period} counts: the
     * shares of the five-minute samples that start in the period, as {@link
     * dev.netmeter.domain.billing.StatementLines} adds them.
     */
    static long shareIn(BillingPeriod period, long count, Instant start, Instant end) {
        long first = FiveMinuteSamples.indexOf(period.start().minusNanos(1)) + 1;
        long last = FiveMinuteSamples.indexOf(period.end().minusNanos(1));
        long[] sum = new long[1];
        FiveMinuteSamples.spread(count, start, end, (sample, share) -> {
            if (sample >= first && sample <= last) {
                sum[0] += share;
            }
        });
        return sum[0];
    }

    private record Line(LabelId label, Optional<Direction> direction) {
        static final Comparator<Line> ORDER = Comparator.comparing(Line::label)
                .thenComparing(line -> line.direction().map(direction -> direction.ordinal() + 1).orElse(0));
    }
}
