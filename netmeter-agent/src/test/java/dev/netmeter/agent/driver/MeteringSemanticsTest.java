package dev.netmeter.agent.driver;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.packet;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.agent.driver.Routers.router;
import static dev.netmeter.agent.driver.Routers.sourceAndDestination;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Neutron's counting rule, case by case: each case says what it pins down. */
class MeteringSemanticsTest {
    private static final RouterMetering ROUTER = router(List.of(
            // 1: ingress remote 203.0.113.0/24 means packets coming in TO it (Neutron: -d with -i)
            new LabelMetering(label(1), List.of(remote(label(1), INGRESS, false, "203.0.113.0/24"))),
            // 2: egress remote 203.0.113.0/24 means packets going out FROM it (Neutron: -s with -o)
            new LabelMetering(label(2), List.of(remote(label(2), EGRESS, false, "203.0.113.0/24"))),
            // 3: an excluded rule exempts part of an included one
            new LabelMetering(label(3), List.of(remote(label(3), EGRESS, false, "198.51.100.0/24"),
                    remote(label(3), EGRESS, true, "198.51.100.128/25"))),
            // 4: two overlapping included rules
            new LabelMetering(label(4), List.of(remote(label(4), EGRESS, false, "198.51.100.0/24"),
                    remote(label(4), EGRESS, false, "198.51.100.0/25"))),
            // 5: source and destination together; 6: destination only; 7: IPv6
            new LabelMetering(label(5), List.of(sourceAndDestination(label(5), EGRESS, false,
                    "192.0.2.0/24", "198.51.100.0/24"))),
            new LabelMetering(label(6), List.of(sourceAndDestination(label(6), INGRESS, false, null, "192.0.2.7/32"))),
            new LabelMetering(label(7), List.of(remote(label(7), INGRESS, false, "2001:db8::/32")))));

    @Test
    void legacy_remote_prefix_is_the_destination_of_ingress_and_the_source_of_egress() {
        assertThat(counting(packet(INGRESS, "192.0.2.1", "203.0.113.5"))).containsExactly(label(1));
        assertThat(counting(packet(INGRESS, "203.0.113.5", "192.0.2.1"))).isEmpty();
        assertThat(counting(packet(EGRESS, "203.0.113.5", "192.0.2.1"))).containsExactly(label(2));
    }

    @Test
    void an_excluded_rule_exempts_the_packet_from_its_label_only() {
        assertThat(counting(packet(EGRESS, "198.51.100.200", "192.0.2.1"))).containsExactly(label(4));
        assertThat(counting(packet(EGRESS, "198.51.100.5", "192.0.2.1"))).containsExactly(label(3), label(4));
    }

    @Test
    void source_and_destination_prefixes_must_both_match_and_an_absent_one_matches_anything() {
        assertThat(counting(packet(EGRESS, "192.0.2.9", "198.51.100.1"))).containsExactly(label(5));
        assertThat(counting(packet(EGRESS, "192.0.2.9", "203.0.113.1"))).isEmpty();
        assertThat(counting(packet(INGRESS, "8.8.8.8", "192.0.2.7"))).containsExactly(label(6));
    }

    @Test
    void a_prefix_never_matches_the_other_ip_version_and_direction_must_match() {
        assertThat(counting(packet(INGRESS, "2001:db8::1", "2001:db8::2"))).containsExactly(label(7));
        assertThat(counting(packet(EGRESS, "2001:db8::1", "2001:db8::2"))).isEmpty();
        assertThat(counting(packet(INGRESS, "::ffff:203.0.113.5", "::ffff:203.0.113.5"))).isEmpty();
    }

    private static java.util.Set<dev.netmeter.domain.LabelId> counting(Packet packet) {
        return MeteringSemantics.labelsCounting(ROUTER, packet);
    }
}
