package dev.netmeter.agent.driver;

import java.util.Map;

/** One data plane (nftables today). Called from the agent's single thread only. */
public interface DataPlaneDriver {
    /**
     * Makes {@code router}'s namespace meter exactly what {@code router} says, in one atomic step, keeping the
     * counters that stay ({@link RouterMetering#counters()}). Idempotent. A counter that goes is deleted with the
     * step: switch it off first (keep it idle, {@link LabelMetering#idle()}) and read it ({@link #readCounters}).
     */
    void apply(RouterMetering router) throws DataPlaneException;

    /**
     * Every label counter of the router in {@code namespace} (per direction, and any direction-less one an older
     * agent made), as monotonic totals, read in one step. A namespace that does not exist holds none.
     */
    Map<LabelCounter, TrafficCounter> readCounters(String namespace) throws DataPlaneException;

    /** Removes netmeter's part of the data plane from {@code namespace}, if it is there (or the namespace). */
    void remove(String namespace) throws DataPlaneException;
}
