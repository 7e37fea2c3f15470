package dev.netmeter.domain.billing;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.usage.UsageReport;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one usage report adds to the stored days of samples. The report's rows are first summed per (project,
 * label, direction), all routers together; each sum is then spread over the five-minute samples of the report's
 * window ({@link FiveMinuteSamples#spread}: pro rata, largest remainder). Spreading the sum rather than each row
 * can round a sample's share differently from adding up each row's shares (by less than one unit per row), but
 * every total is exact either way: a line's bytes and packets over any set of whole samples are the sums of its
 * rows' shares, and a report's days add up to its rows. Every sample the window covers is marked covered, with
 * or without traffic (see {@link DailySamples}).
 */
public final class ReportSamples {
    private ReportSamples() {
    }

    /**
     * The days {@code report} adds to, each with what it adds, in lock order.
     *
     * @throws ArithmeticException if a label's rows add up past {@link Long#MAX_VALUE}
     */
    public static SortedMap<SampleDayKey, DailySamples> of(UsageReport report) {
        Map<Line, long[]> sums = new HashMap<>();
        report.usage().forEach((key, usage) -> {
            long[] sum = sums.computeIfAbsent(new Line(key.project(), key.label(), key.direction()),
                    line -> new long[2]);
            sum[0] = Math.addExact(sum[0], usage.bytes());
            sum[1] = Math.addExact(sum[1], usage.packets());
        });
        Instant start = report.windowStart();
        Instant end = report.windowEnd();
        long first = FiveMinuteSamples.indexOf(start);
        long last = FiveMinuteSamples.lastCovered(start, end);
        SortedMap<SampleDayKey, DailySamples.Builder> days = new TreeMap<>();
        sums.forEach((line, sum) -> {
            for (long sample = first; sample <= last; sample++) {
                day(days, line, sample).cover(DailySamples.indexInDay(sample));
            }
            FiveMinuteSamples.spread(sum[0], start, end, (sample, share) ->
                    day(days, line, sample).add(DailySamples.indexInDay(sample), share, 0));
            FiveMinuteSamples.spread(sum[1], start, end, (sample, share) ->
                    day(days, line, sample).add(DailySamples.indexInDay(sample), 0, share));
        });
        SortedMap<SampleDayKey, DailySamples> built = new TreeMap<>();
        days.forEach((key, day) -> built.put(key, day.build()));
        return built;
    }

    private static DailySamples.Builder day(Map<SampleDayKey, DailySamples.Builder> days, Line line, long sample) {
        return days.computeIfAbsent(new SampleDayKey(line.project, line.label, line.direction,
                DailySamples.dayOf(sample)), key -> DailySamples.builder());
    }

    private record Line(ProjectId project, LabelId label, Optional<Direction> direction) {
    }
}
