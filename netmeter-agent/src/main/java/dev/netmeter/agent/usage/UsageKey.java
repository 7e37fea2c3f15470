package dev.netmeter.agent.usage;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.util.Objects;

/** One label on one router (the finest of Neutron's granularities), with the label's project. */
public record UsageKey(RouterId router, LabelId label, ProjectId project) {
    public UsageKey {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(project, "project");
    }
}
