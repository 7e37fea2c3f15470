package dev.netmeter.agent.driver.nftables;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.DirectionReference;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RandomTraffic;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.RouterTopology;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 with real packets: a label counts each direction in a counter of its own, exactly what crossed the
 * router that way (checked against a reference table that counts every packet by the interface it crossed), and
 * once per label and direction however many of its rules match; a label with rules of one direction has that
 * direction's counter only.
 */
class NftablesDirectionIT {
    private static final LabelId BOTH = label(1);
    private static final LabelId INGRESS_ONLY = label(2);

    private final NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner());

    @Test
    void traffic_both_ways_is_counted_in_a_counter_per_direction_exactly_and_once_per_label() throws Exception {
        try (RouterTopology topology = RouterTopology.create()) {
            String namespace = topology.router().name();
            topology.send(RandomTraffic.everyPairOnce());     // neighbours resolved before anything is counted
            topology.router().execWithInput(DirectionReference.TABLE, "nft", "-f", "-");
            RouterMetering router = new RouterMetering(Routers.router(List.of()).router(), namespace,
                    RouterTopology.EXTERNAL_INTERFACE, List.of(
                            new LabelMetering(BOTH, List.of(     // overlapping rules: a packet still counts once
                                    remote(BOTH, INGRESS, false, "0.0.0.0/0"), remote(BOTH, INGRESS, false, "::/0"),
                                    remote(BOTH, INGRESS, false, "198.51.100.0/24"),
                                    remote(BOTH, EGRESS, false, "0.0.0.0/0"), remote(BOTH, EGRESS, false, "::/0"),
                                    remote(BOTH, EGRESS, false, "198.51.100.0/24"))),
                            new LabelMetering(INGRESS_ONLY, List.of(remote(INGRESS_ONLY, INGRESS, false, "0.0.0.0/0"),
                                    remote(INGRESS_ONLY, INGRESS, false, "::/0")))));
            driver.apply(router);
            assertThat(driver.readCounters(namespace)).as("a counter per direction a label has rules for")
                    .containsOnlyKeys(LabelCounter.of(BOTH, INGRESS), LabelCounter.of(BOTH, EGRESS),
                            LabelCounter.of(INGRESS_ONLY, INGRESS));

            List<RandomTraffic.Datagram> traffic = RandomTraffic.randomTraffic(new Random(17), 600);
            topology.send(RandomTraffic.lines(traffic));

            Map<Direction, TrafficCounter> crossed = DirectionReference.read(topology.router());
            assertThat(crossed.get(INGRESS).packets()).as("traffic came in").isPositive();
            assertThat(crossed.get(EGRESS).packets()).as("traffic went out").isPositive();
            assertThat(driver.readCounters(namespace)).isEqualTo(Map.of(
                    LabelCounter.of(BOTH, INGRESS), crossed.get(INGRESS),
                    LabelCounter.of(BOTH, EGRESS), crossed.get(EGRESS),
                    LabelCounter.of(INGRESS_ONLY, INGRESS), crossed.get(INGRESS)))
                    .isEqualTo(RandomTraffic.expected(router, traffic));
        }
    }
}
