package dev.netmeter.agent.driver;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.util.List;
import java.util.Objects;

/** One label as the data plane counts it: its id (which names its counter) and its rules. */
public record LabelMetering(LabelId label, List<MeteringLabelRule> rules) {
    public LabelMetering {
        Objects.requireNonNull(label, "label");
        rules = List.copyOf(rules);
    }
}
