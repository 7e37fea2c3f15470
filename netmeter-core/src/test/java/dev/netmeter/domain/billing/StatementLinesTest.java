package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.error.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Statement lines from stored rows, the figures worked out by hand in the comments. */
class StatementLinesTest {
    private static final LabelId A = new LabelId(UUID.fromString("00000000-0000-0000-0000-00000000000a"));
    private static final LabelId B = new LabelId(UUID.fromString("00000000-0000-0000-0000-00000000000b"));
    private static final Optional<Direction> BOTH = Optional.empty();
    private static final Optional<Direction> IN = Optional.of(Direction.INGRESS);
    private static final Optional<Direction> OUT = Optional.of(Direction.EGRESS);
    private static final BillingPeriod NOVEMBER = BillingCycle.DEFAULT.period(YearMonth.of(2026, 11));
    private static final BillingPeriod DECEMBER = BillingCycle.DEFAULT.period(YearMonth.of(2026, 12));

    private static void add(StatementLines lines, LabelId label, Optional<Direction> direction, long packets,
                            long bytes, String start, String end) {
        lines.add(label, direction, packets, bytes, Instant.parse(start), Instant.parse(end));
    }

    private static void rows(StatementLines lines) {
        // Half in October, half in November: 150 packets, 1,875 bytes in the first sample of November.
        add(lines, A, BOTH, 300, 3_750, "2026-10-31T23:57:30Z", "2026-11-01T00:02:30Z");
        // One sample of 37,500 bytes: 1,000 bit/s.
        add(lines, A, BOTH, 100, 37_500, "2026-11-15T12:00:00Z", "2026-11-15T12:05:00Z");
        // Two minutes of five in November: 4 packets and 150 bytes; the rest in December.
        add(lines, A, IN, 10, 375, "2026-11-30T23:58:00Z", "2026-12-01T00:03:00Z");
        // 500 samples of 375 * k bytes (10 * k bit/s), k = 1..500, one packet each.
        Instant start = Instant.parse("2026-11-10T00:00:00Z");
        for (int k = 1; k <= 500; k++) {
            lines.add(B, OUT, 1, 375L * k, start.plusSeconds(300L * (k - 1)), start.plusSeconds(300L * k));
        }
        // Wholly outside November: no line.
        add(lines, B, IN, 5, 5, "2026-10-01T00:00:00Z", "2026-10-01T00:05:00Z");
        add(lines, B, IN, 5, 5, "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z");
    }

    @Test
    void a_months_lines() {
        StatementLines lines = new StatementLines(NOVEMBER);
        rows(lines);

        assertThat(lines.lines()).containsExactly(
                // 1,875 + 37,500 bytes; two busy samples of 8,640, so the 95th percentile is a zero sample
                new StatementLine(A, BOTH, 39_375, 250, new BurstableRate(0, 1_000, 8_640)),
                // 150 bytes in the last sample: 4 bit/s
                new StatementLine(A, IN, 150, 4, new BurstableRate(0, 4, 8_640)),
                // 375 * (1 + ... + 500) = 46,968,750 bytes; 8,140 zero samples and 500 busy ones, the top 432
                // dropped: the 8,208th sample is the 68th busy one, 680 bit/s
                new StatementLine(B, OUT, 46_968_750, 500, new BurstableRate(680, 5_000, 8_640)));
    }

    @Test
    void a_window_across_two_periods_is_billed_once_in_parts() {
        StatementLines december = new StatementLines(DECEMBER);
        rows(december);

        // The other three minutes of A's ingress row: 6 packets, 225 bytes (150 + 225 = 375), and B's row of no
        // length at the start of December.
        assertThat(december.lines()).containsExactly(
                new StatementLine(A, IN, 225, 6, new BurstableRate(0, 6, 8_928)),
                new StatementLine(B, IN, 5, 5, new BurstableRate(0, 0, 8_928)));
    }

    @Test
    void consecutive_periods_add_up_to_the_stored_rows_exactly() {
        BillingCycle cycle = new BillingCycle(15, ZoneId.of("Europe/Berlin"));
        List<BillingPeriod> periods = List.of(cycle.period(YearMonth.of(2026, 9)), cycle.period(YearMonth.of(2026, 10)),
                cycle.period(YearMonth.of(2026, 11)));
        List<StatementLines> statements = periods.stream().map(StatementLines::new).toList();
        Random random = new Random(17);
        long packets = 0;
        long bytes = 0;
        Instant from = periods.getFirst().start();
        long span = periods.getLast().end().getEpochSecond() - from.getEpochSecond();
        for (int i = 0; i < 5_000; i++) {
            Instant start = from.plusNanos(random.nextLong(span * 1_000_000_000L));
            long length = random.nextBoolean() ? 300_000_000_000L : 7_200_000_000_000L;    // up to 5 min or 2 h
            Instant end = start.plusNanos(random.nextLong(length));
            if (end.isAfter(periods.getLast().end())) {
                continue;
            }
            long p = random.nextLong(1_000_000);
            long b = random.nextLong(1L << 40);
            packets += p;
            bytes += b;
            LabelId label = random.nextBoolean() ? A : B;
            for (StatementLines statement : statements) {
                statement.add(label, random.nextBoolean() ? IN : OUT, p, b, start, end);
            }
        }
        assertThat(statements.stream().flatMap(s -> s.lines().stream()).mapToLong(StatementLine::packets).sum())
                .isEqualTo(packets);
        assertThat(statements.stream().flatMap(s -> s.lines().stream()).mapToLong(StatementLine::bytes).sum())
                .isEqualTo(bytes);
    }

    @Test
    void lines_past_the_samples_a_statement_may_hold_are_refused() {
        // A year of 105,120 samples holds 159 lines within 16 Mi samples; the 160th is refused.
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        StatementLines year = new StatementLines(start, start.plus(Duration.ofDays(365)));
        year.add(A, BOTH, 1, 1, start, start.plusSeconds(300));
        for (int i = 1; i < 159; i++) {
            year.add(new LabelId(UUID.randomUUID()), BOTH, 1, 1, start, start.plusSeconds(300));
        }
        assertThatThrownBy(() -> year.add(new LabelId(UUID.randomUUID()), BOTH, 1, 1, start, start.plusSeconds(300)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ask for a shorter range");
        year.add(A, BOTH, 1, 1, start.plusSeconds(300), start.plusSeconds(600));     // an existing line takes more

        assertThat(year.lines()).hasSize(159).first().extracting(StatementLine::bytes).isEqualTo(2L);
    }
}
