package dev.netmeter.agent.driver.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.MeteringSemantics;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RandomTraffic;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.RouterTopology;
import dev.netmeter.agent.driver.TrafficCounter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real packets through a real router namespace, counted by the compiled nftables ruleset, against what
 * {@link MeteringSemantics} says each packet should count: random labels of random rules (legacy remote,
 * source and destination, excluded, overlapping, IPv4 and IPv6) over the topology's addresses, and random
 * UDP datagrams both ways. Then the rules change while counters hold counts, and the next traffic is
 * counted by the new rules with nothing lost. Counts are exact: packets, and bytes of the IP packets.
 */
class NftablesTrafficIT {
    private final NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner());

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void real_traffic_is_counted_exactly_as_the_rules_say_also_across_a_rule_change(long seed) throws Exception {
        Random random = new Random(seed);
        try (RouterTopology topology = RouterTopology.create()) {
            String namespace = topology.router().name();
            topology.send(RandomTraffic.everyPairOnce());     // neighbours resolved before anything is counted
            RouterMetering first = RandomTraffic.randomRouter(random, namespace, 6, 40);
            driver.apply(first);
            Map<LabelCounter, TrafficCounter> before = driver.readCounters(namespace);

            List<RandomTraffic.Datagram> firstTraffic = RandomTraffic.randomTraffic(random, 400);
            topology.send(RandomTraffic.lines(firstTraffic));
            Map<LabelCounter, TrafficCounter> expected = RandomTraffic.expected(first, firstTraffic);
            assertThat(since(driver.readCounters(namespace), before)).isEqualTo(expected);

            RouterMetering second = RandomTraffic.changed(random, first);
            driver.apply(second);
            List<RandomTraffic.Datagram> secondTraffic = RandomTraffic.randomTraffic(random, 400);
            topology.send(RandomTraffic.lines(secondTraffic));
            Map<LabelCounter, TrafficCounter> afterBoth = new HashMap<>(expected);
            RandomTraffic.expected(second, secondTraffic).forEach((label, counter) -> afterBoth.merge(label, counter,
                    RandomTraffic::plus));
            assertThat(since(driver.readCounters(namespace), before)).isEqualTo(afterBoth);
            assertThat(afterBoth.values()).as("the test must count something").anyMatch(c -> c.packets() > 0);
        }
    }

    private static Map<LabelCounter, TrafficCounter> since(Map<LabelCounter, TrafficCounter> now,
            Map<LabelCounter, TrafficCounter> before) {
        Map<LabelCounter, TrafficCounter> deltas = new HashMap<>();
        now.forEach((label, counter) -> deltas.put(label,
                counter.since(before.getOrDefault(label, TrafficCounter.ZERO))));
        return deltas;
    }

}
