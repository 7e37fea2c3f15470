package dev.netmeter.agent.usage;

import dev.netmeter.agent.driver.TrafficCounter;
import java.time.Instant;
import java.util.Objects;

/**
 * Traffic counted for one key in a report window: Neutron's {@code pkts}, {@code bytes}, {@code first_update}
 * and {@code last_update} (when traffic was first and last seen in the window, to the measure interval).
 */
public record Usage(long packets, long bytes, Instant firstUpdate, Instant lastUpdate) {
    public Usage {
        Objects.requireNonNull(firstUpdate, "firstUpdate");
        Objects.requireNonNull(lastUpdate, "lastUpdate");
    }

    /** The usage of a first delta, seen at {@code at}. */
    static Usage of(TrafficCounter delta, Instant at) {
        return new Usage(delta.packets(), delta.bytes(), at, at);
    }

    /** This usage with {@code delta} more, seen at {@code at}. */
    Usage plus(TrafficCounter delta, Instant at) {
        return new Usage(packets + delta.packets(), bytes + delta.bytes(), firstUpdate, at);
    }
}
