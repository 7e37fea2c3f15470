package dev.netmeter.agent.driver;

/**
 * A label's packet and byte totals on one router in one direction ({@link LabelCounter}), as the kernel counts
 * them (bytes of IP packets, headers included) since its counter was created. Totals only grow while the counter
 * lives.
 */
public record TrafficCounter(long packets, long bytes) {
    public static final TrafficCounter ZERO = new TrafficCounter(0, 0);

    public TrafficCounter {
        if (packets < 0 || bytes < 0) {
            throw new IllegalArgumentException("negative traffic counter");
        }
    }

    /**
     * What was counted since {@code earlier}. A total lower than before means the counter was created anew
     * (the namespace or the table was recreated), so everything it holds is new.
     */
    public TrafficCounter since(TrafficCounter earlier) {
        if (packets < earlier.packets || bytes < earlier.bytes) {
            return this;
        }
        return new TrafficCounter(packets - earlier.packets, bytes - earlier.bytes);
    }
}
