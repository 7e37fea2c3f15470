package dev.netmeter.agent.driver;

import dev.netmeter.domain.RouterId;
import java.util.List;
import java.util.Objects;

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
}
