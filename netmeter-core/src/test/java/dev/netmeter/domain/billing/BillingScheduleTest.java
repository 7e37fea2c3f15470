package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Changes of cycle take effect from the next period; boundaries computed by hand (UTC offsets checked against
 * Python's zoneinfo: Berlin is +01:00 until 28 March 2027, +02:00 after; New York -05:00 in January).
 */
class BillingScheduleTest {
    private static final BillingCycle BERLIN_15 = new BillingCycle(15, ZoneId.of("Europe/Berlin"));
    private static final BillingCycle NEW_YORK_10 = new BillingCycle(10, ZoneId.of("America/New_York"));
    /** During the November 2026 period of the default cycle. */
    private static final Instant IN_NOVEMBER = Instant.parse("2026-11-10T12:00:00Z");
    private static final BillingSchedule TO_BERLIN = BillingSchedule.DEFAULT.withChange(BERLIN_15, IN_NOVEMBER);

    @Test
    void nobody_configured_calendar_months_in_utc() {
        assertThat(BillingSchedule.DEFAULT.cycleFor(YearMonth.of(2026, 11))).isEqualTo(BillingCycle.DEFAULT);
        assertThat(BillingSchedule.DEFAULT.period(YearMonth.of(2026, 11))).isEqualTo(period("2026-11",
                "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"));
        assertThat(BillingSchedule.DEFAULT.pending(IN_NOVEMBER)).isEmpty();
    }

    @Test
    void a_change_takes_effect_from_the_next_period_which_runs_to_the_new_cycles_boundary() {
        assertThat(TO_BERLIN.changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
        assertThat(TO_BERLIN.pending(IN_NOVEMBER)).contains(new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
        assertThat(TO_BERLIN.cycleFor(YearMonth.of(2026, 11))).isEqualTo(BillingCycle.DEFAULT);
        assertThat(TO_BERLIN.cycleFor(YearMonth.of(2026, 12))).isEqualTo(BERLIN_15);

        // November keeps its boundaries
        assertThat(TO_BERLIN.period(YearMonth.of(2026, 11))).isEqualTo(period("2026-11",
                "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"));
        // December is the transition: from 1 December UTC to 15 January, 00:00 in Berlin (+01:00)
        BillingPeriod december = TO_BERLIN.period(YearMonth.of(2026, 12));
        assertThat(december).isEqualTo(period("2026-12", "2026-12-01T00:00:00Z", "2027-01-14T23:00:00Z"));
        assertThat(december.length()).isEqualTo(Duration.ofHours(44 * 24 + 23));
        assertThat(december.samples()).isEqualTo((44 * 24 + 23) * 12);
        assertThat(TO_BERLIN.period(YearMonth.of(2027, 1))).isEqualTo(period("2027-01",
                "2027-01-14T23:00:00Z", "2027-02-14T23:00:00Z"));
        // across the change to summer time on 28 March: an hour shorter
        BillingPeriod march = TO_BERLIN.period(YearMonth.of(2027, 3));
        assertThat(march).isEqualTo(period("2027-03", "2027-03-14T23:00:00Z", "2027-04-14T22:00:00Z"));
        assertThat(march.length()).isEqualTo(Duration.ofHours(31 * 24 - 1));
        // once December began the change is no longer pending
        assertThat(TO_BERLIN.pending(Instant.parse("2026-12-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void a_change_back_ends_the_period_in_progress_where_it_was_going_to_end_and_the_next_at_the_old_boundary() {
        // 1 March 2027 00:00 UTC lies in the period from 15 February (Berlin)
        Instant inFebruary = Instant.parse("2027-03-01T00:00:00Z");
        BillingSchedule back = TO_BERLIN.withChange(BillingCycle.DEFAULT, inFebruary);

        assertThat(back.changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), BERLIN_15),
                new CycleChange(YearMonth.of(2027, 3), BillingCycle.DEFAULT));
        assertThat(back.period(YearMonth.of(2027, 2))).isEqualTo(period("2027-02",
                "2027-02-14T23:00:00Z", "2027-03-14T23:00:00Z"));
        BillingPeriod march = back.period(YearMonth.of(2027, 3));
        assertThat(march).isEqualTo(period("2027-03", "2027-03-14T23:00:00Z", "2027-04-01T00:00:00Z"));
        assertThat(march.length()).isEqualTo(Duration.ofHours(17 * 24 + 1));
        assertThat(back.period(YearMonth.of(2027, 4))).isEqualTo(period("2027-04",
                "2027-04-01T00:00:00Z", "2027-05-01T00:00:00Z"));
    }

    @Test
    void a_second_change_in_one_period_replaces_the_pending_one_and_the_cycle_in_force_cancels_it() {
        BillingSchedule twice = TO_BERLIN.withChange(NEW_YORK_10, Instant.parse("2026-11-30T23:59:59Z"));

        assertThat(twice.changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), NEW_YORK_10));
        // 10 January 00:00 in New York (-05:00)
        assertThat(twice.period(YearMonth.of(2026, 12))).isEqualTo(period("2026-12",
                "2026-12-01T00:00:00Z", "2027-01-10T05:00:00Z"));
        assertThat(twice.period(YearMonth.of(2027, 1))).isEqualTo(period("2027-01",
                "2027-01-10T05:00:00Z", "2027-02-10T05:00:00Z"));

        assertThat(twice.withChange(BillingCycle.DEFAULT, IN_NOVEMBER)).isEqualTo(BillingSchedule.DEFAULT);
    }

    @Test
    void the_cycle_in_force_with_nothing_pending_changes_nothing() {
        assertThat(BillingSchedule.DEFAULT.withChange(BillingCycle.DEFAULT, IN_NOVEMBER))
                .isEqualTo(BillingSchedule.DEFAULT);
        Instant inJanuary = Instant.parse("2027-01-20T00:00:00Z");
        assertThat(TO_BERLIN.withChange(BERLIN_15, inJanuary)).isEqualTo(TO_BERLIN);
    }

    @ParameterizedTest(name = "{0} lies in {1}")
    @CsvSource({
            "2026-11-30T23:59:59.999999999Z, 2026-11",
            "2026-12-01T00:00:00Z,           2026-12",
            "2026-12-31T23:59:59Z,           2026-12",
            "2027-01-01T00:00:00Z,           2026-12",
            "2027-01-14T22:59:59.999999999Z, 2026-12",
            "2027-01-14T23:00:00Z,           2027-01",
            "2027-02-14T22:59:59Z,           2027-01",
            "2027-02-14T23:00:00Z,           2027-02",
    })
    void an_instant_lies_in_one_period_across_a_transition(String instant, String month) {
        BillingPeriod period = TO_BERLIN.periodOf(Instant.parse(instant));

        assertThat(period.name()).isEqualTo(YearMonth.parse(month));
        assertThat(period).isEqualTo(TO_BERLIN.period(YearMonth.parse(month)));
    }

    @Test
    void periods_stay_contiguous_over_24_months_after_several_changes() {
        // the zones furthest from UTC either way, start days at both ends, changes in consecutive periods
        BillingSchedule schedule = BillingSchedule.DEFAULT
                .withChange(new BillingCycle(28, ZoneId.of("Pacific/Pago_Pago")), at("2026-01-05T00:00:00Z"))
                .withChange(new BillingCycle(1, ZoneId.of("Pacific/Kiritimati")), at("2026-02-10T00:00:00Z"))
                .withChange(BERLIN_15, at("2026-03-30T00:00:00Z"))
                .withChange(new BillingCycle(28, ZoneId.of("America/Adak")), at("2026-07-01T00:00:00Z"))
                .withChange(NEW_YORK_10, at("2026-08-01T00:00:00Z"))
                .withChange(BillingCycle.DEFAULT, at("2026-11-20T00:00:00Z"));
        assertThat(schedule.changes()).extracting(CycleChange::effectiveFrom).containsExactly(
                YearMonth.of(2026, 2), YearMonth.of(2026, 3), YearMonth.of(2026, 4), YearMonth.of(2026, 7),
                YearMonth.of(2026, 8), YearMonth.of(2026, 12));
        // February: from 1 February UTC to 28 March 00:00 in Pago Pago (-11:00)
        assertThat(schedule.period(YearMonth.of(2026, 2))).isEqualTo(period("2026-02",
                "2026-02-01T00:00:00Z", "2026-03-28T11:00:00Z"));
        // March, a transition of three days less an hour: to 1 April 00:00 at Kiritimati (+14:00)
        BillingPeriod march = schedule.period(YearMonth.of(2026, 3));
        assertThat(march).isEqualTo(period("2026-03", "2026-03-28T11:00:00Z", "2026-03-31T10:00:00Z"));
        assertThat(march.samples()).isEqualTo(71 * 12);
        // April: to 15 May 00:00 in Berlin (+02:00)
        assertThat(schedule.period(YearMonth.of(2026, 4))).isEqualTo(period("2026-04",
                "2026-03-31T10:00:00Z", "2026-05-14T22:00:00Z"));
        // December: from 10 December 00:00 in New York (-05:00) back to calendar months in UTC
        assertThat(schedule.period(YearMonth.of(2026, 12))).isEqualTo(period("2026-12",
                "2026-12-10T05:00:00Z", "2027-01-01T00:00:00Z"));

        YearMonth first = YearMonth.of(2026, 1);
        for (YearMonth month = first; month.isBefore(first.plusMonths(24)); month = month.plusMonths(1)) {
            BillingPeriod period = schedule.period(month);
            assertThat(schedule.period(month.plusMonths(1)).start()).as("after %s", month).isEqualTo(period.end());
            assertThat(schedule.periodOf(period.start())).as("start of %s", month).isEqualTo(period);
            assertThat(schedule.periodOf(period.end().minusNanos(1))).as("end of %s", month).isEqualTo(period);
        }
    }

    @Test
    void changes_take_effect_in_order_one_per_period() {
        CycleChange december = new CycleChange(YearMonth.of(2026, 12), BERLIN_15);
        assertThatThrownBy(() -> new BillingSchedule(List.of(december, december)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BillingSchedule(List.of(december,
                new CycleChange(YearMonth.of(2026, 11), NEW_YORK_10)))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static BillingPeriod period(String name, String start, String end) {
        return new BillingPeriod(YearMonth.parse(name), Instant.parse(start), Instant.parse(end));
    }
}
