package dev.netmeter.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an agent host last reported usage, and whether that is too long ago: more than three report intervals
 * without a report mean two reports were missed.
 *
 * @param stale the last report is older than three report intervals
 */
public record AgentReport(String host, Instant lastReport, boolean stale) {
    /** How many report intervals a last report may be old before its agent is flagged. */
    public static final int MISSED_INTERVALS = 3;

    public AgentReport {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(lastReport, "lastReport");
    }

    /** {@code host}'s last report at {@code lastReport}, seen at {@code now}; agents report every {@code interval}. */
    public static AgentReport of(String host, Instant lastReport, Instant now, Duration interval) {
        return new AgentReport(host, lastReport, lastReport.isBefore(now.minus(staleAfter(interval))));
    }

    /** How old a last report may be before its agent is flagged. */
    public static Duration staleAfter(Duration interval) {
        return interval.multipliedBy(MISSED_INTERVALS);
    }
}
