package dev.netmeter.domain.usage;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How usage is summed: Neutron's five granularities (the keys of {@code granular_traffic_data} in
 * neutron/services/metering/agents/metering_agent.py), each with the keys it groups by, in the order answers
 * are sorted and written.
 */
public enum UsageGranularity {
    LABEL("label", Dimension.LABEL, Dimension.PROJECT),
    ROUTER("router", Dimension.ROUTER),
    PROJECT("project", Dimension.PROJECT),
    ROUTER_LABEL("router_label", Dimension.ROUTER, Dimension.LABEL, Dimension.PROJECT),
    PROJECT_LABEL("project_label", Dimension.PROJECT, Dimension.LABEL);

    /** What usage can be grouped by. */
    public enum Dimension { ROUTER, LABEL, PROJECT }

    private final String wireName;
    private final List<Dimension> keys;

    UsageGranularity(String wireName, Dimension... keys) {
        this.wireName = wireName;
        this.keys = List.of(keys);
    }

    /** The name in the API, e.g. {@code router_label}. */
    public String wireName() {
        return wireName;
    }

    /** The dimensions usage is grouped by, in sort order. */
    public List<Dimension> keys() {
        return keys;
    }

    /** The granularity called {@code wireName} in the API. */
    public static Optional<UsageGranularity> of(String wireName) {
        return Stream.of(values()).filter(granularity -> granularity.wireName.equals(wireName)).findFirst();
    }
}
