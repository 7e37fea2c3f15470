package dev.netmeter.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When an agent host last reported usage, and whether that is too long ago: an agent reports every
 * {@link #REPORT_INTERVAL} (Neutron's {@code report_interval} and {@code agent.report_interval}'s default),
 * so three intervals without a report mean two reports were missed.
 *
 * @param stale the last report is older than {@link #STALE_AFTER}
 */
public record AgentReport(String host, Instant lastReport, boolean stale) {
    /** The report interval agents run with by default (Neutron's 300 s). */
    public static final Duration REPORT_INTERVAL = Duration.ofSeconds(300);
    /** How old a last report may be before its agent is flagged. */
    public static final Duration STALE_AFTER = REPORT_INTERVAL.multipliedBy(3);

    public AgentReport {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(lastReport, "lastReport");
    }

    /** {@code host}'s last report at {@code lastReport}, as seen at {@code now}. */
    public static AgentReport of(String host, Instant lastReport, Instant now) {
        return new AgentReport(host, lastReport, lastReport.isBefore(now.minus(STALE_AFTER)));
    }
}
