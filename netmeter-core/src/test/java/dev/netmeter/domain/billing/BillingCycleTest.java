package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Period boundaries computed by hand from the zones' rules (checked against Python's zoneinfo). */
class BillingCycleTest {
    @ParameterizedTest(name = "day {0} in {1}, period {2}: {3} to {4}, {5} h, {6} samples")
    @CsvSource({
            // the default: calendar months in UTC
            "1,  UTC,              2026-11, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z, 720, 8640",
            // a month end: periods from the 28th run across February
            "28, UTC,              2026-01, 2026-01-28T00:00:00Z, 2026-02-28T00:00:00Z, 744, 8928",
            "28, UTC,              2026-02, 2026-02-28T00:00:00Z, 2026-03-28T00:00:00Z, 672, 8064",
            // Europe/Berlin: summer time from 29 March (an hour shorter), winter time from 25 October (longer)
            "1,  Europe/Berlin,    2026-03, 2026-02-28T23:00:00Z, 2026-03-31T22:00:00Z, 743, 8916",
            "1,  Europe/Berlin,    2026-10, 2026-09-30T22:00:00Z, 2026-10-31T23:00:00Z, 745, 8940",
            "1,  Europe/Berlin,    2026-06, 2026-05-31T22:00:00Z, 2026-06-30T22:00:00Z, 720, 8640",
            // New York leaves daylight time on 1 November, inside the period from 15 October
            "15, America/New_York, 2026-10, 2026-10-15T04:00:00Z, 2026-11-15T05:00:00Z, 745, 8940",
            // Santiago moves its clocks at midnight: 6 September 2026 has no 00:00, the period starts at 01:00
            "6,  America/Santiago, 2026-08, 2026-08-06T04:00:00Z, 2026-09-06T04:00:00Z, 744, 8928",
            "6,  America/Santiago, 2026-09, 2026-09-06T04:00:00Z, 2026-10-06T03:00:00Z, 719, 8628",
    })
    void periods_follow_the_zones_calendar(int day, String zone, String month, String start, String end, long hours,
                                           long samples) {
        BillingPeriod period = new BillingCycle(day, ZoneId.of(zone)).period(YearMonth.parse(month));

        assertThat(period.name()).isEqualTo(YearMonth.parse(month));
        assertThat(period.start()).isEqualTo(Instant.parse(start));
        assertThat(period.end()).isEqualTo(Instant.parse(end));
        assertThat(period.length()).isEqualTo(Duration.ofHours(hours));
        assertThat(period.samples()).isEqualTo(samples);
    }

    @ParameterizedTest(name = "day {0} in {1}: {2} is in {3}")
    @CsvSource({
            "15, UTC,              2026-11-14T23:59:59.999999999Z, 2026-10",
            "15, UTC,              2026-11-15T00:00:00Z,           2026-11",
            "1,  UTC,              2026-01-01T00:00:00Z,           2026-01",
            "1,  UTC,              2025-12-31T23:59:59Z,           2025-12",
            // 00:30 on 1 March in Berlin, still February in UTC
            "1,  Europe/Berlin,    2026-02-28T23:30:00Z,           2026-03",
            "1,  Europe/Berlin,    2026-02-28T22:59:59Z,           2026-02",
            // the hour New York repeats on 1 November lies in the period that started on 15 October
            "15, America/New_York, 2026-11-01T05:30:00Z,           2026-10",
            "15, America/New_York, 2026-11-15T04:59:59Z,           2026-10",
            "15, America/New_York, 2026-11-15T05:00:00Z,           2026-11",
    })
    void an_instant_lies_in_one_period(int day, String zone, String instant, String month) {
        BillingCycle cycle = new BillingCycle(day, ZoneId.of(zone));

        BillingPeriod period = cycle.periodOf(Instant.parse(instant));

        assertThat(period.name()).isEqualTo(YearMonth.parse(month));
        assertThat(period.contains(Instant.parse(instant))).isTrue();
    }

    @Test
    void consecutive_periods_meet() {
        BillingCycle cycle = new BillingCycle(28, ZoneId.of("Australia/Lord_Howe"));   // a half-hour DST shift
        YearMonth month = YearMonth.of(2026, 1);
        for (int i = 0; i < 24; i++, month = month.plusMonths(1)) {
            assertThat(cycle.period(month).end()).isEqualTo(cycle.period(month.plusMonths(1)).start());
            assertThat(cycle.periodOf(cycle.period(month).start()).name()).isEqualTo(month);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 29, 31, -1})
    void a_period_starts_on_a_day_every_month_has(int day) {
        assertThatThrownBy(() -> new BillingCycle(day, ZoneId.of("UTC")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1 to 28");
    }

    @Test
    void the_default_is_calendar_months_in_utc() {
        assertThat(BillingCycle.DEFAULT.period(YearMonth.of(2026, 2)))
                .isEqualTo(new BillingPeriod(YearMonth.of(2026, 2), Instant.parse("2026-02-01T00:00:00Z"),
                        Instant.parse("2026-03-01T00:00:00Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT", "UCT", "Universal", "Zulu"})
    void every_name_of_utc_is_one_zone_named_utc(String zone) {
        BillingCycle cycle = new BillingCycle(1, ZoneId.of(zone));

        assertThat(cycle).isEqualTo(BillingCycle.DEFAULT);
        assertThat(cycle.zoneName()).isEqualTo("UTC");
        assertThat(new BillingCycle(1, ZoneId.of("Europe/Berlin")).zoneName()).isEqualTo("Europe/Berlin");
    }
}
