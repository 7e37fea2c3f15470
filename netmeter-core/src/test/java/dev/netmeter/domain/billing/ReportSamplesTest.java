package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What reports add to the stored days of samples, and statements made of those days, figures by hand. */
class ReportSamplesTest {
    private static final LabelId A = new LabelId(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    private static final LabelId B = new LabelId(UUID.fromString("00000000-0000-0000-0000-00000000000b"));
    private static final RouterId R1 = new RouterId(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    private static final RouterId R2 = new RouterId(UUID.fromString("00000000-0000-0000-0000-000000000002"));
    private static final ProjectId PROJECT = new ProjectId("p");
    /** 2026-11-30 and 2026-12-01 as days since the epoch. */
    private static final long NOV_30 = 20_787;
    private static final long DEC_1 = 20_788;

    private static UsageReport report(String start, String end, Object... routerLabelPacketsBytes) {
        Map<UsageKey, Usage> rows = new HashMap<>();
        Instant at = Instant.parse(start);
        for (int i = 0; i < routerLabelPacketsBytes.length; i += 4) {
            rows.put(new UsageKey((RouterId) routerLabelPacketsBytes[i], (LabelId) routerLabelPacketsBytes[i + 1],
                    PROJECT), Usage.of(((Number) routerLabelPacketsBytes[i + 2]).longValue(),
                    ((Number) routerLabelPacketsBytes[i + 3]).longValue(), at));
        }
        return new UsageReport(UUID.randomUUID(), at, Instant.parse(end), rows);
    }

    private static SampleDayKey key(LabelId label, long day) {
        return new SampleDayKey(PROJECT, label, Optional.empty(), day);
    }

    @Test
    void a_window_across_a_sample_and_a_day_boundary_is_shared_pro_rata_between_the_days() {
        // 23:58 to 00:03: 120 s in November's last sample, 180 s in December's first. Two routers' rows of A are
        // summed first: 1,001 bytes -> 400.4 and 600.6 -> 400 and 601 (the larger remainder); 11 packets -> 4.4
        // and 6.6 -> 4 and 7. B's 0 bytes, 0 packets cover both samples and count nothing.
        UsageReport report = report("2026-11-30T23:58:00Z", "2026-12-01T00:03:00Z",
                R1, A, 5, 500, R2, A, 6, 501, R1, B, 0, 0);

        SortedMap<SampleDayKey, DailySamples> days = ReportSamples.of(report);

        assertThat(days).containsExactly(
                Map.entry(key(A, NOV_30), DailySamples.builder().add(287, 400, 4).build()),
                Map.entry(key(A, DEC_1), DailySamples.builder().add(0, 601, 7).build()),
                Map.entry(key(B, NOV_30), DailySamples.builder().cover(287).build()),
                Map.entry(key(B, DEC_1), DailySamples.builder().cover(0).build()));
        // a statement of November, of December and of the two days each see their part
        assertThat(lines(YearMonth.of(2026, 11), days)).containsExactly(
                new StatementLine(A, Optional.empty(), 400, 4, new BurstableRate(0, 11, 8_640)),
                new StatementLine(B, Optional.empty(), 0, 0, new BurstableRate(0, 0, 8_640)));
        assertThat(lines(YearMonth.of(2026, 12), days)).extracting(StatementLine::bytes).containsExactly(601L, 0L);
    }

    @Test
    void a_window_of_no_length_counts_in_the_sample_of_its_instant() {
        SortedMap<SampleDayKey, DailySamples> days = ReportSamples.of(
                report("2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z", R1, A, 3, 300));

        assertThat(days).containsExactly(Map.entry(key(A, DEC_1), DailySamples.builder().add(0, 300, 3).build()));
    }

    @Test
    void statements_of_days_are_statements_of_the_rows_when_each_label_has_one_row_a_report() {
        Random random = new Random(17);
        Instant from = Instant.parse("2026-10-20T00:00:00Z");
        StatementLines fromRows = new StatementLines(BillingCycle.DEFAULT.period(YearMonth.of(2026, 11)));
        StatementLines fromDays = new StatementLines(BillingCycle.DEFAULT.period(YearMonth.of(2026, 11)));
        for (int i = 0; i < 300; i++) {
            Instant start = from.plusSeconds(random.nextLong(50L * 86_400)).plusNanos(random.nextInt(1_000));
            Instant end = random.nextInt(10) == 0 ? start : start.plusSeconds(random.nextInt(7_200));
            LabelId label = random.nextBoolean() ? A : B;
            long packets = random.nextInt(3) == 0 ? 0 : random.nextLong(100_000);
            long bytes = random.nextLong(100_000_000);
            fromRows.add(label, Optional.empty(), packets, bytes, start, end);
            UsageReport report = new UsageReport(UUID.randomUUID(), start, end,
                    Map.of(new UsageKey(R1, label, PROJECT), Usage.of(packets, bytes, Instant.EPOCH)));
            ReportSamples.of(report).forEach((key, day) -> fromDays.add(key.label(), key.direction(), key.day(), day));
        }

        assertThat(fromDays.lines()).isEqualTo(fromRows.lines()).hasSize(2);
    }

    private static List<StatementLine> lines(YearMonth month, Map<SampleDayKey, DailySamples> days) {
        StatementLines lines = new StatementLines(BillingCycle.DEFAULT.period(month));
        days.forEach((key, day) -> lines.add(key.label(), key.direction(), key.day(), day));
        return lines.lines();
    }
}
