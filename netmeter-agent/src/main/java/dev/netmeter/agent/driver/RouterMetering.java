package dev.netmeter.agent.driver;

import dev.netmeter.domain.RouterId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the data plane must meter for one router: where its traffic is seen (the external interface
 * inside the router's network namespace), and the labels that apply to it with their rules.
 */
public record RouterMetering(RouterId router, String namespace, String externalInterface, List<LabelMetering> labels) {
    public RouterMetering {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(externalInterface, "externalInterface");
        labels = List.copyOf(labels);
    }

    /** Every counter of the router's labels, in the labels' order ({@link LabelMetering#counters()}). */
    public Set<LabelCounter> counters() {
        Set<LabelCounter> counters = new LinkedHashSet<>();
        labels.forEach(label -> counters.addAll(label.counters()));
        return counters;
    }
}
