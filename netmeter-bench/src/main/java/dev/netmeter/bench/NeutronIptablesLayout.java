package dev.netmeter.bench;

import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.MeteringLabelRule;

/**
 * Neutron's iptables metering layout (neutron/services/metering/drivers/iptables/iptables_driver.py), as
 * {@code iptables-restore} input, to measure against: {@code FORWARD} jumps to {@code neutron-meter-FORWARD},
 * which jumps to one rule chain per label; there, excluded rules {@code RETURN} first, and each included
 * rule jumps to the label's chain, whose one empty rule counts. Legacy prefixes only ({@code -d} with
 * {@code -i} for ingress, {@code -s} with {@code -o} for egress), IPv4 only, as Neutron. Benchmark only.
 */
final class NeutronIptablesLayout {
    private NeutronIptablesLayout() {
    }

    static String render(RouterMetering router) {
        StringBuilder rules = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\n"
                + ":neutron-meter-FORWARD - [0:0]\n");
        for (int i = 0; i < router.labels().size(); i++) {
            rules.append(":neutron-meter-l-").append(i).append(" - [0:0]\n:neutron-meter-r-").append(i)
                    .append(" - [0:0]\n");
        }
        rules.append("-A FORWARD -j neutron-meter-FORWARD\n");
        for (int i = 0; i < router.labels().size(); i++) {
            LabelMetering label = router.labels().get(i);
            rules.append("-A neutron-meter-FORWARD -j neutron-meter-r-").append(i).append('\n');
            rules.append("-A neutron-meter-l-").append(i).append('\n');
            for (boolean excluded : new boolean[] {true, false}) {
                for (MeteringLabelRule rule : label.rules()) {
                    if (rule.excluded() == excluded && rule.remoteIpPrefix().isPresent()) {
                        String remote = rule.remoteIpPrefix().get().network();
                        rules.append("-A neutron-meter-r-").append(i).append(rule.direction() == Direction.EGRESS
                                        ? " -s " + remote + " -o " : " -d " + remote + " -i ")
                                .append(router.externalInterface())
                                .append(excluded ? " -j RETURN\n" : " -j neutron-meter-l-" + i + "\n");
                    }
                }
            }
        }
        return rules.append("COMMIT\n").toString();
    }
}
