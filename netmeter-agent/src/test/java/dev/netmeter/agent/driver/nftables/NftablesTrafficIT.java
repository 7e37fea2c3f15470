package dev.netmeter.agent.driver.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.MeteringSemantics;
import dev.netmeter.agent.driver.Packet;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.RouterTopology;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RouterId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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
    private static final List<String> V4_CLIENT = List.of("198.51.100.10/32", "198.51.100.8/30", "198.51.100.10/31",
            "198.51.100.12/31", "198.51.100.0/24");
    private static final List<String> V4_EXTERNAL = List.of("203.0.113.10/32", "203.0.113.8/30", "203.0.113.10/31",
            "203.0.113.12/31", "203.0.113.0/24", "0.0.0.0/0");
    private static final List<String> V6_CLIENT = List.of("2001:db8:1::10/128", "2001:db8:1::10/126",
            "2001:db8:1::10/127", "2001:db8:1::12/127", "2001:db8:1::/64");
    private static final List<String> V6_EXTERNAL = List.of("2001:db8:2::10/128", "2001:db8:2::10/126",
            "2001:db8:2::12/127", "2001:db8:2::/64", "::/0");

    private final NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner());

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void real_traffic_is_counted_exactly_as_the_rules_say_also_across_a_rule_change(long seed) throws Exception {
        Random random = new Random(seed);
        try (RouterTopology topology = RouterTopology.create()) {
            String namespace = topology.router().name();
            topology.send(everyPairOnce());     // neighbours resolved before anything is counted
            RouterMetering first = randomRouter(random, namespace, 6, 40);
            driver.apply(first);
            Map<LabelId, TrafficCounter> before = driver.readCounters(namespace);

            List<Datagram> firstTraffic = randomTraffic(random, 400);
            topology.send(lines(firstTraffic));
            Map<LabelId, TrafficCounter> expected = expected(first, firstTraffic);
            assertThat(since(driver.readCounters(namespace), before)).isEqualTo(expected);

            RouterMetering second = changed(random, first);
            driver.apply(second);
            List<Datagram> secondTraffic = randomTraffic(random, 400);
            topology.send(lines(secondTraffic));
            Map<LabelId, TrafficCounter> afterBoth = new HashMap<>(expected);
            expected(second, secondTraffic).forEach((label, counter) -> afterBoth.merge(label, counter,
                    (a, b) -> new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes())));
            assertThat(since(driver.readCounters(namespace), before)).isEqualTo(afterBoth);
            assertThat(afterBoth.values()).as("the test must count something").anyMatch(c -> c.packets() > 0);
        }
    }

    /** A datagram: its addresses, how it crossed the external interface, and its payload size. */
    private record Datagram(String source, String destination, Direction direction, int payload) {
        Packet packet() {
            Cidr from = Cidr.parse("source", source);
            return new Packet(from.version(), direction, from.first(), Cidr.parse("destination", destination).first());
        }

        /** Bytes of the IP packet: IP header (20 or 40), UDP header (8), payload. */
        long bytes() {
            return payload + 8 + (source.contains(":") ? 40 : 20);
        }
    }

    private static List<Datagram> randomTraffic(Random random, int count) {
        List<Datagram> traffic = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int version = random.nextInt(3) == 0 ? 6 : 4;
            String client = RouterTopology.clientAddress(version, random.nextInt(RouterTopology.ADDRESSES));
            String external = RouterTopology.externalAddress(version, random.nextInt(RouterTopology.ADDRESSES));
            int payload = random.nextInt(1200);
            traffic.add(random.nextBoolean() ? new Datagram(client, external, Direction.EGRESS, payload)
                    : new Datagram(external, client, Direction.INGRESS, payload));
        }
        return traffic;
    }

    private static List<String> everyPairOnce() {
        List<String> lines = new ArrayList<>();
        for (int version : new int[] {4, 6}) {
            for (int c = 0; c < RouterTopology.ADDRESSES; c++) {
                for (int e = 0; e < RouterTopology.ADDRESSES; e++) {
                    lines.add(RouterTopology.clientAddress(version, c) + " " + RouterTopology.externalAddress(version, e) + " 1");
                    lines.add(RouterTopology.externalAddress(version, e) + " " + RouterTopology.clientAddress(version, c) + " 1");
                }
            }
        }
        return lines;
    }

    private static List<String> lines(List<Datagram> traffic) {
        return traffic.stream().map(d -> d.source() + " " + d.destination() + " " + d.payload()).toList();
    }

    private static Map<LabelId, TrafficCounter> expected(RouterMetering router, List<Datagram> traffic) {
        Map<LabelId, TrafficCounter> expected = new HashMap<>();
        router.labels().forEach(label -> expected.put(label.label(), TrafficCounter.ZERO));
        for (Datagram datagram : traffic) {
            for (LabelId label : MeteringSemantics.labelsCounting(router, datagram.packet())) {
                TrafficCounter sum = expected.get(label);
                expected.put(label, new TrafficCounter(sum.packets() + 1, sum.bytes() + datagram.bytes()));
            }
        }
        return expected;
    }

    private static Map<LabelId, TrafficCounter> since(Map<LabelId, TrafficCounter> now, Map<LabelId, TrafficCounter> before) {
        Map<LabelId, TrafficCounter> deltas = new HashMap<>();
        now.forEach((label, counter) -> deltas.put(label, counter.since(before.getOrDefault(label, TrafficCounter.ZERO))));
        return deltas;
    }

    private static RouterMetering randomRouter(Random random, String namespace, int labels, int rules) {
        List<List<MeteringLabelRule>> byLabel = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < rules; i++) {
            int label = random.nextInt(labels);
            byLabel.get(label).add(randomRule(random, Routers.label(label)));
        }
        List<LabelMetering> metering = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            metering.add(new LabelMetering(Routers.label(i), byLabel.get(i)));
        }
        return new RouterMetering(new RouterId(UUID.randomUUID()), namespace, RouterTopology.EXTERNAL_INTERFACE, metering);
    }

    /** The same labels with one rule more in one label and one rule fewer in another. */
    private static RouterMetering changed(Random random, RouterMetering router) {
        List<LabelMetering> labels = new ArrayList<>(router.labels());
        LabelMetering grown = labels.get(random.nextInt(labels.size()));
        List<MeteringLabelRule> more = new ArrayList<>(grown.rules());
        more.add(randomRule(random, grown.label()));
        labels.set(labels.indexOf(grown), new LabelMetering(grown.label(), more));
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).rules().size() > 1 && labels.get(i) != grown) {
                List<MeteringLabelRule> fewer = new ArrayList<>(labels.get(i).rules());
                fewer.removeFirst();
                labels.set(i, new LabelMetering(labels.get(i).label(), fewer));
                break;
            }
        }
        return new RouterMetering(router.router(), router.namespace(), router.externalInterface(), labels);
    }

    private static MeteringLabelRule randomRule(Random random, LabelId label) {
        boolean v6 = random.nextInt(3) == 0;
        List<String> clientSide = v6 ? V6_CLIENT : V4_CLIENT;
        List<String> externalSide = v6 ? V6_EXTERNAL : V4_EXTERNAL;
        Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
        boolean excluded = random.nextInt(5) == 0;
        if (random.nextInt(3) == 0) {
            // source and destination: egress goes client → external, ingress external → client
            List<String> sources = direction == Direction.EGRESS ? clientSide : externalSide;
            List<String> destinations = direction == Direction.EGRESS ? externalSide : clientSide;
            return Routers.sourceAndDestination(label, direction, excluded,
                    random.nextBoolean() ? pick(random, sources) : null, pick(random, destinations));
        }
        // Legacy remote: either side may be named (ingress matches the destination, egress the source).
        List<String> either = new ArrayList<>(clientSide);
        either.addAll(externalSide);
        return Routers.remote(label, direction, excluded, pick(random, either));
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
