package dev.netmeter.domain.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * How a project's usage is cut into billing periods: a period starts at the beginning of day
 * {@code startDay} of a month in {@code zone} and ends where the next one starts. Boundaries follow the zone
 * across daylight-saving changes, so a period is a month of the zone's calendar, not a fixed number of hours:
 * in Europe/Berlin, March 2026 lasts 743 hours and October 2026 745. Days 29 to 31 are not offered, because
 * February has no such day in most years and a period must start on the same day every month.
 *
 * @param startDay the day of the month each period starts on, 1 to 28
 * @param zone the time zone whose midnights start the periods (an IANA name, as {@code Europe/Berlin})
 */
public record BillingCycle(int startDay, ZoneId zone) {
    /** Calendar months in UTC: the cycle of a project nobody configured. */
    public static final BillingCycle DEFAULT = new BillingCycle(1, ZoneOffset.UTC);
    public static final int LATEST_START_DAY = 28;

    public BillingCycle {
        Objects.requireNonNull(zone, "zone");
        // UTC has several names (UTC, Etc/UTC, Z, GMT…): one value, so that a cycle set to UTC is the default.
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            zone = ZoneOffset.UTC;
        }
        if (startDay < 1 || startDay > LATEST_START_DAY) {
            throw new IllegalArgumentException("a period starts on a day from 1 to 28, not " + startDay);
        }
    }

    /** The zone's name: its IANA name, {@code UTC} for UTC (whose {@link ZoneOffset} is named {@code Z}). */
    public String zoneName() {
        return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
    }

    /** The period named {@code month}: the one that starts in it. */
    public BillingPeriod period(YearMonth month) {
        return new BillingPeriod(month, startOf(month), startOf(month.plusMonths(1)));
    }

    /** The period {@code instant} lies in. */
    public BillingPeriod periodOf(Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, zone);
        YearMonth month = YearMonth.from(day);
        BillingPeriod period = period(month);
        return period.contains(instant) ? period : period(month.minusMonths(1));
    }

    /**
     * The first instant of {@code startDay} in {@code month}: local midnight, or, where a daylight-saving change
     * skips midnight (as in some zones that change at 00:00), the first local time that exists that day.
     * {@link BillingSchedule} joins the periods of two cycles at such a start.
     */
    Instant startOf(YearMonth month) {
        return month.atDay(startDay).atStartOfDay(zone).toInstant();
    }
}
