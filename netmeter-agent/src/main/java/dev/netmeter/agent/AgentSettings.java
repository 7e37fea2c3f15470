package dev.netmeter.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How the agent runs, already validated.
 *
 * @param host the host name the agent meters the routers of (a router's {@code host})
 * @param measureInterval how often counters are read (Neutron's {@code measure_interval}, 30 s)
 * @param reportInterval how often the usage counted is reported (Neutron's {@code report_interval}, 300 s)
 * @param pollWait how long one long poll for sync changes waits in the server
 */
public record AgentSettings(String host, Duration measureInterval, Duration reportInterval, Duration pollWait) {
    public AgentSettings {
        Objects.requireNonNull(host, "host");
        if (measureInterval.isNegative() || measureInterval.isZero() || reportInterval.compareTo(measureInterval) < 0) {
            throw new IllegalArgumentException("intervals: measure " + measureInterval + ", report " + reportInterval);
        }
        Objects.requireNonNull(pollWait, "pollWait");
    }
}
