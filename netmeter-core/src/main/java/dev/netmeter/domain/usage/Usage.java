package dev.netmeter.domain.usage;

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
        if (packets < 0 || bytes < 0) {
            throw new IllegalArgumentException("usage is never negative: " + packets + " packets, " + bytes + " bytes");
        }
        if (lastUpdate.isBefore(firstUpdate)) {
            throw new IllegalArgumentException("last update " + lastUpdate + " before first update " + firstUpdate);
        }
    }

    /** The usage of {@code packets} and {@code bytes} first seen at {@code at}. */
    public static Usage of(long packets, long bytes, Instant at) {
        return new Usage(packets, bytes, at, at);
    }

    /** This usage with {@code morePackets} and {@code moreBytes}, seen at {@code at}. */
    public Usage plus(long morePackets, long moreBytes, Instant at) {
        return new Usage(Math.addExact(packets, morePackets), Math.addExact(bytes, moreBytes), firstUpdate, at);
    }

    /** This usage and {@code other} together: the sums, the earlier first and the later last update. */
    public Usage plus(Usage other) {
        return new Usage(Math.addExact(packets, other.packets), Math.addExact(bytes, other.bytes),
                firstUpdate.isBefore(other.firstUpdate) ? firstUpdate : other.firstUpdate,
                lastUpdate.isAfter(other.lastUpdate) ? lastUpdate : other.lastUpdate);
    }

    /** Neutron's {@code time}: the seconds between the first and the last update. */
    public long seconds() {
        return lastUpdate.getEpochSecond() - firstUpdate.getEpochSecond();
    }
}
