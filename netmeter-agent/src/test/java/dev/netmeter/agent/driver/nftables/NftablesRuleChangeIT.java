package dev.netmeter.agent.driver.nftables;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.agent.driver.Routers.sourceAndDestination;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.MeteringSemantics;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RandomTraffic;
import dev.netmeter.agent.driver.RandomTraffic.Datagram;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.RouterTopology;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Rules change under traffic, and no packet is lost or counted twice: four UDP flows (IPv4 and IPv6, ingress and
 * egress) cross a router namespace at about 20,000 packets a second while the driver applies {@value #CHANGES}
 * changes: rules added to and deleted from labels, and labels added and deleted, many of them on the traffic's
 * path (its packets then jump to other chains and maps). A second table in the router, never rewritten, counts
 * each flow at a later priority of the same hook: the reference. Labels that live through the whole run count
 * the same flows under every change (changes that would alter that are not made), so each must end at exactly
 * the sum of its flows' reference counts, packets and bytes. {@code -Dnetmeter.nft.update=FULL_RELOAD} runs the
 * same against the one-transaction update netmeter had before, which this test catches losing packets.
 */
class NftablesRuleChangeIT {
    private static final int CHANGES = 120;
    private static final int PER_SECOND_PER_END = 10_000;
    private static final int PAYLOAD = 64;
    private static final List<Datagram> FLOWS = List.of(
            new Datagram(RouterTopology.clientAddress(4, 0), RouterTopology.externalAddress(4, 0), EGRESS, PAYLOAD),
            new Datagram(RouterTopology.externalAddress(4, 1), RouterTopology.clientAddress(4, 1), INGRESS, PAYLOAD),
            new Datagram(RouterTopology.clientAddress(6, 0), RouterTopology.externalAddress(6, 0), EGRESS, PAYLOAD),
            new Datagram(RouterTopology.externalAddress(6, 1), RouterTopology.clientAddress(6, 1), INGRESS, PAYLOAD));
    /** Labels that live through the run: each counts some flows (one counts none), the same ones throughout. */
    private static final List<LabelId> STABLE = List.of(label(101), label(102), label(103), label(104));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NftablesDriver.Update update = NftablesDriver.Update.valueOf(
            System.getProperty("netmeter.nft.update", NftablesDriver.Update.STAGED.name()));
    private final NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner(), update);
    private final Random random = new Random(12);
    private int labelsMade;

    @Test
    void rules_and_labels_changing_under_traffic_lose_and_double_count_no_packet() throws Exception {
        try (RouterTopology topology = RouterTopology.create()) {
            String namespace = topology.router().name();
            topology.send(RandomTraffic.everyPairOnce());     // neighbours resolved before anything is counted
            topology.router().execWithInput(referenceTable(), "nft", "-f", "-");
            RouterMetering router = initial(namespace);
            Map<LabelId, Set<Integer>> stableFlows = flowsCounted(router, STABLE);
            assertThat(NftRuleset.render(router)).as("source maps cut in chunks are on the path too")
                    .contains("\tmap sm_");
            driver.apply(router);

            List<Process> senders = topology.startSending(FLOWS.stream().map(flow -> flow.source() + " "
                    + flow.destination()).toList(), PER_SECOND_PER_END, PAYLOAD);
            int onTheTrafficsPath = 0;
            long packetsDuringChanges;
            double seconds;
            try {
                long before = awaitTraffic(topology);
                long start = System.nanoTime();
                for (int change = 0; change < CHANGES; change++) {
                    RouterMetering next = changed(router, stableFlows);
                    onTheTrafficsPath += labelSetsOfFlows(next).equals(labelSetsOfFlows(router)) ? 0 : 1;
                    driver.apply(next);
                    router = next;
                }
                seconds = (System.nanoTime() - start) / 1e9;
                packetsDuringChanges = total(reference(topology)) - before;
            } finally {
                senders.forEach(Process::destroy);
                for (Process sender : senders) {
                    sender.waitFor();
                }
            }
            List<TrafficCounter> flows = settledReference(topology);
            Map<LabelCounter, TrafficCounter> counted = driver.readCounters(namespace);

            System.out.printf("%s update: %d changes (%d on the traffic's path) in %.1f s while %d packets crossed "
                            + "(%.0f packets/s); reference per flow %s; stable labels %s%n", update, CHANGES,
                    onTheTrafficsPath, seconds, packetsDuringChanges, packetsDuringChanges / seconds, flows,
                    stableCounters(counted));
            assertThat(packetsDuringChanges).as("traffic crossed while the rules changed").isGreaterThan(10L * CHANGES);
            assertThat(onTheTrafficsPath).as("changes that moved the traffic to other chains")
                    .isGreaterThan(CHANGES / 5);
            Map<LabelCounter, TrafficCounter> expected = new LinkedHashMap<>();
            stableFlows.forEach((label, counts) -> counts.forEach(flow -> expected.merge(
                    LabelCounter.of(label, FLOWS.get(flow).direction()), flows.get(flow), RandomTraffic::plus)));
            assertThat(stableCounters(counted)).as("every packet of the flows each label counts, once, in the "
                    + "counter of the flow's direction").isEqualTo(expected);
            TrafficCounter all = flows.stream().reduce(TrafficCounter.ZERO, RandomTraffic::plus);
            assertThat(counted.values()).as("no label counts more than crossed")
                    .allMatch(counter -> counter.packets() <= all.packets());
        }
    }

    /** The stable labels, and twenty labels of ten rules each elsewhere (so that the maps are not tiny). */
    private static RouterMetering initial(String namespace) {
        List<LabelMetering> labels = new ArrayList<>(List.of(
                new LabelMetering(label(101), List.of(remote(label(101), EGRESS, false, "0.0.0.0/0"),
                        remote(label(101), EGRESS, false, "::/0"))),
                new LabelMetering(label(102), List.of(remote(label(102), INGRESS, false, "198.51.100.0/24"))),
                new LabelMetering(label(103), List.of(
                        sourceAndDestination(label(103), EGRESS, false, "198.51.100.0/24", "203.0.113.0/24"),
                        remote(label(103), INGRESS, false, "2001:db8:1::/64"),
                        remote(label(103), INGRESS, true, "2001:db8:1::11/128"))),
                new LabelMetering(label(104), List.of(remote(label(104), EGRESS, false, "10.0.0.0/8")))));
        labels.addAll(Routers.random(new Random(1), 20, 400).labels());
        return new RouterMetering(Routers.router(List.of()).router(), namespace, RouterTopology.EXTERNAL_INTERFACE,
                labels);
    }

    /**
     * One random change: a rule added to or deleted from a label that stays (unless that would change which
     * flows a stable label counts), or a label added (with rules that may count the traffic) or deleted.
     */
    private RouterMetering changed(RouterMetering router, Map<LabelId, Set<Integer>> stableFlows) {
        while (true) {
            List<LabelMetering> labels = new ArrayList<>(router.labels());
            List<Integer> transients = IntStream.range(0, labels.size())
                    .filter(i -> labels.get(i).label().value().getLeastSignificantBits() >= 1000).boxed().toList();
            int pick = random.nextInt(labels.size());
            LabelMetering label = labels.get(pick);
            List<MeteringLabelRule> rules = new ArrayList<>(label.rules());
            switch (random.nextInt(4)) {
                case 0 -> {
                    rules.add(RandomTraffic.randomRule(random, label.label()));
                    labels.set(pick, new LabelMetering(label.label(), rules));
                }
                case 1 -> {
                    if (rules.isEmpty()) {
                        continue;
                    }
                    rules.remove(random.nextInt(rules.size()));
                    labels.set(pick, new LabelMetering(label.label(), rules));
                }
                case 2 -> {
                    LabelId made = label(1000 + labelsMade++);
                    labels.add(new LabelMetering(made, IntStream.range(0, 1 + random.nextInt(3))
                            .mapToObj(i -> RandomTraffic.randomRule(random, made)).toList()));
                }
                default -> {
                    if (transients.isEmpty()) {
                        continue;
                    }
                    labels.remove((int) transients.get(random.nextInt(transients.size())));
                }
            }
            RouterMetering next = new RouterMetering(router.router(), router.namespace(), router.externalInterface(),
                    labels);
            if (flowsCounted(next, STABLE).equals(stableFlows)) {
                return next;
            }
        }
    }

    /**
     * The stable labels' counters that counted something (a stable label may gain and lose rules of a direction in
     * which it counts no flow, and with them a counter that stays at zero).
     */
    private static Map<LabelCounter, TrafficCounter> stableCounters(Map<LabelCounter, TrafficCounter> counted) {
        return counted.entrySet().stream().filter(entry -> STABLE.contains(entry.getKey().label())
                        && entry.getValue().packets() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** For each of {@code labels}, the indexes of the flows it counts. */
    private static Map<LabelId, Set<Integer>> flowsCounted(RouterMetering router, List<LabelId> labels) {
        Map<LabelId, Set<Integer>> counted = new HashMap<>();
        labels.forEach(label -> counted.put(label, new java.util.TreeSet<>()));
        for (int flow = 0; flow < FLOWS.size(); flow++) {
            for (LabelId label : MeteringSemantics.labelsCounting(router, FLOWS.get(flow).packet())) {
                if (counted.containsKey(label)) {
                    counted.get(label).add(flow);
                }
            }
        }
        return counted;
    }

    private static List<Set<LabelId>> labelSetsOfFlows(RouterMetering router) {
        return FLOWS.stream().map(flow -> MeteringSemantics.labelsCounting(router, flow.packet())).toList();
    }

    /** A counter per flow, after netmeter's chain on the same hook; never rewritten. */
    private static String referenceTable() {
        StringBuilder table = new StringBuilder("table inet reference {\n");
        for (int flow = 0; flow < FLOWS.size(); flow++) {
            table.append(" counter f").append(flow).append(" {\n }\n");
        }
        table.append(" chain forward {\n  type filter hook forward priority filter + 20; policy accept;\n");
        for (int flow = 0; flow < FLOWS.size(); flow++) {
            Datagram datagram = FLOWS.get(flow);
            String family = datagram.source().contains(":") ? "ip6" : "ip";
            table.append("  %s saddr %s %s daddr %s counter name \"f%d\"\n".formatted(family, datagram.source(),
                    family, datagram.destination(), flow));
        }
        return table.append(" }\n}\n").toString();
    }

    private static List<TrafficCounter> reference(RouterTopology topology) throws Exception {
        JsonNode listed = JSON.readTree(topology.router().execOrFail("nft", "-j", "list", "counters", "table", "inet",
                "reference"));
        TrafficCounter[] flows = new TrafficCounter[FLOWS.size()];
        for (JsonNode item : listed.path("nftables")) {
            JsonNode counter = item.path("counter");
            if (counter.isObject()) {
                flows[Integer.parseInt(counter.path("name").asText().substring(1))] =
                        new TrafficCounter(counter.path("packets").asLong(), counter.path("bytes").asLong());
            }
        }
        return List.of(flows);
    }

    private static long total(List<TrafficCounter> flows) {
        return flows.stream().mapToLong(TrafficCounter::packets).sum();
    }

    /** Waits until every flow crosses the router; the packets counted so far. */
    private static long awaitTraffic(RouterTopology topology) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<TrafficCounter> flows = reference(topology);
            if (flows.stream().allMatch(flow -> flow.packets() > 0)) {
                return total(flows);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the traffic did not start: " + reference(topology));
    }

    /** The reference once the senders are gone and the last packets have crossed. */
    private static List<TrafficCounter> settledReference(RouterTopology topology) throws Exception {
        List<TrafficCounter> last = reference(topology);
        while (true) {
            Thread.sleep(300);
            List<TrafficCounter> now = reference(topology);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
    }
}
