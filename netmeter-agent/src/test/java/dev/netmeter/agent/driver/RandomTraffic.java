package dev.netmeter.agent.driver;

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

/**
 * Random rules over the {@link RouterTopology}'s addresses (legacy remote, source and destination, excluded,
 * overlapping, IPv4 and IPv6), random UDP datagrams between its ends, and what {@link MeteringSemantics}
 * says each label counts of them: the expectations of every test that sends real traffic.
 */
public final class RandomTraffic {
    private static final List<String> V4_CLIENT = List.of("198.51.100.10/32", "198.51.100.8/30", "198.51.100.10/31",
            "198.51.100.12/31", "198.51.100.0/24");
    private static final List<String> V4_EXTERNAL = List.of("203.0.113.10/32", "203.0.113.8/30", "203.0.113.10/31",
            "203.0.113.12/31", "203.0.113.0/24", "0.0.0.0/0");
    private static final List<String> V6_CLIENT = List.of("2001:db8:1::10/128", "2001:db8:1::10/126",
            "2001:db8:1::10/127", "2001:db8:1::12/127", "2001:db8:1::/64");
    private static final List<String> V6_EXTERNAL = List.of("2001:db8:2::10/128", "2001:db8:2::10/126",
            "2001:db8:2::12/127", "2001:db8:2::/64", "::/0");

    /** A datagram: its addresses, how it crossed the external interface, and its payload size. */
    public record Datagram(String source, String destination, Direction direction, int payload) {
        public Packet packet() {
            Cidr from = Cidr.parse("source", source);
            return new Packet(from.version(), direction, from.first(), Cidr.parse("destination", destination).first());
        }

        /** Bytes of the IP packet: IP header (20 or 40), UDP header (8), payload. */
        public long bytes() {
            return payload + 8 + (source.contains(":") ? 40 : 20);
        }
    }

    public static List<Datagram> randomTraffic(Random random, int count) {
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

    public static List<String> everyPairOnce() {
        List<String> lines = new ArrayList<>();
        for (int version : new int[] {4, 6}) {
            for (int c = 0; c < RouterTopology.ADDRESSES; c++) {
                for (int e = 0; e < RouterTopology.ADDRESSES; e++) {
                    lines.add(RouterTopology.clientAddress(version, c) + " "
                            + RouterTopology.externalAddress(version, e) + " 1");
                    lines.add(RouterTopology.externalAddress(version, e) + " "
                            + RouterTopology.clientAddress(version, c) + " 1");
                }
            }
        }
        return lines;
    }

    public static List<String> lines(List<Datagram> traffic) {
        return traffic.stream().map(d -> d.source() + " " + d.destination() + " " + d.payload()).toList();
    }

    /** What each counter of {@code router} counts of {@code traffic}: a label counts a datagram in its direction. */
    public static Map<LabelCounter, TrafficCounter> expected(RouterMetering router, List<Datagram> traffic) {
        Map<LabelCounter, TrafficCounter> expected = new HashMap<>();
        router.counters().forEach(counter -> expected.put(counter, TrafficCounter.ZERO));
        for (Datagram datagram : traffic) {
            for (LabelId label : MeteringSemantics.labelsCounting(router, datagram.packet())) {
                LabelCounter counter = LabelCounter.of(label, datagram.direction());
                TrafficCounter sum = expected.get(counter);
                expected.put(counter, new TrafficCounter(sum.packets() + 1, sum.bytes() + datagram.bytes()));
            }
        }
        return expected;
    }

    public static RouterMetering randomRouter(Random random, String namespace, int labels, int rules) {
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
        return new RouterMetering(new RouterId(UUID.randomUUID()), namespace, RouterTopology.EXTERNAL_INTERFACE,
                metering);
    }

    /** The same labels with one rule more in one label and one rule fewer in another. */
    public static RouterMetering changed(Random random, RouterMetering router) {
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

    public static MeteringLabelRule randomRule(Random random, LabelId label) {
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

    public static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Two counts added. */
    public static TrafficCounter plus(TrafficCounter a, TrafficCounter b) {
        return new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes());
    }

    private RandomTraffic() {
    }
}
