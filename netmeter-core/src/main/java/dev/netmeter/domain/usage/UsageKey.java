package dev.netmeter.domain.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Comparator;
import java.util.Objects;

/** One label on one router (the finest of Neutron's granularities), with the label's project. */
public record UsageKey(RouterId router, LabelId label, ProjectId project) {
    /**
     * By router, then label: the order rows are hashed and written in (one lock order for every report). A
     * report holds each (router, label) once, so the project never decides.
     */
    public static final Comparator<UsageKey> ROUTER_LABEL_ORDER =
            Comparator.comparing(UsageKey::router).thenComparing(UsageKey::label);

    public UsageKey {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
    }
}
