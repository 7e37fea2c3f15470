package dev.netmeter.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.billing.StatementLines;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A row's share in a closed period: the same figure a statement of that period counts, to the unit. */
class LateUsageTest {
    private static final BillingPeriod NOVEMBER = BillingSchedule.DEFAULT.period(YearMonth.of(2026, 11));
    private static final LabelId LABEL = new LabelId(UUID.randomUUID());

    @ParameterizedTest(name = "{0} to {1}: {2} of {3}")
    @CsvSource({
        // half of a 300 s window before the boundary; 11 units are 5.5 each, the earlier sample takes the 6th
        "2026-11-30T23:57:30Z, 2026-12-01T00:02:30Z, 6, 11",
        // a window that ends at the period's start has nothing in it
        "2026-10-31T23:55:00Z, 2026-11-01T00:00:00Z, 0, 7",
        // a window of no length counts in the sample its instant lies in: the period's first one
        "2026-11-01T00:00:00Z, 2026-11-01T00:00:00Z, 3, 3",
        // the same at the end: the next period's
        "2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z, 0, 3",
        // a window longer than the period, a unit per sample: November's 8,640 of its 32 days' 9,216
        "2026-10-31T00:00:00Z, 2026-12-02T00:00:00Z, 8640, 9216",
        // 32 units over 9,216 samples: each share rounds to 0, and the 32 left go to the earliest of the equal
        // remainders, all in October
        "2026-10-31T00:00:00Z, 2026-12-02T00:00:00Z, 0, 32"
    })
    void a_rows_share_in_a_period(Instant start, Instant end, long share, long count) {
        assertThat(LateUsage.shareIn(NOVEMBER, count, start, end)).isEqualTo(share);
    }

    @Test
    void shares_are_what_statement_lines_count_and_add_up_over_consecutive_periods() {
        List<BillingPeriod> periods = List.of(BillingSchedule.DEFAULT.period(YearMonth.of(2026, 10)), NOVEMBER,
                BillingSchedule.DEFAULT.period(YearMonth.of(2026, 12)));
        Random random = new Random(17);
        for (int i = 0; i < 200; i++) {
            Instant start = Instant.parse("2026-10-15T00:00:00Z").plusSeconds(random.nextLong(60L * 86_400))
                    .plusNanos(random.nextInt(1_000_000_000));
            Instant end = start.plusSeconds(random.nextInt(3 * 86_400)).plusNanos(random.nextInt(1_000));
            long count = random.nextLong(1L << 40);
            long sum = 0;
            for (BillingPeriod period : periods) {
                StatementLines lines = new StatementLines(period);
                lines.add(LABEL, Optional.empty(), 0, count, start, end);
                long counted = lines.lines().stream().mapToLong(StatementLine::bytes).sum();
                long share = LateUsage.shareIn(period, count, start, end);
                assertThat(share).as("%s to %s in %s", start, end, period.name()).isEqualTo(counted);
                sum += share;
            }
            assertThat(sum).as("%s to %s", start, end).isEqualTo(count);
        }
    }
}
