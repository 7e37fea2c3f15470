package dev.netmeter.domain.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One billing period of a project: from {@code start} (inclusive) to {@code end} (exclusive), named by the
 * month it starts in.
 *
 * @param name the month the period starts in, as {@code 2026-11}
 */
public record BillingPeriod(YearMonth name, Instant start, Instant end) {
    public BillingPeriod {
        Objects.requireNonNull(name, "name");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a period ends after it starts: " + start + " to " + end);
        }
    }

    /** Whether {@code instant} lies in this period. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** The number of five-minute samples in this period: one for each sample that starts in it. */
    public long samples() {
        return FiveMinuteSamples.indexOf(end.minusNanos(1)) - FiveMinuteSamples.indexOf(start.minusNanos(1));
    }

    /** The length of this period: a month, give or take the hour a daylight-saving change adds or takes. */
    public Duration length() {
        return Duration.between(start, end);
    }
}
