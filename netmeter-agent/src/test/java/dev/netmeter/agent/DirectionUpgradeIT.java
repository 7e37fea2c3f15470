package dev.netmeter.agent;

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
import dev.netmeter.agent.driver.nftables.NftRuleset;
import dev.netmeter.agent.driver.nftables.NftablesDriver;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's upgrade with real nft and traffic crossing all along: an agent upgraded over the table and ledger an
 * agent before issue 17 left (one direction-less counter per label) makes the per-direction counters, reads the
 * old counter a last time once they have taken over, reports it direction-less, and deletes it. Every packet that
 * crossed is reported once: the old counter's and the new ones' add up to a reference table's, exactly.
 */
class DirectionUpgradeIT {
    private static final AgentSettings SETTINGS = new AgentSettings("net-1", Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ofSeconds(30));
    private static final ProjectId PROJECT = new ProjectId("p1");
    private static final RouterId ROUTER = new RouterId(new UUID(1, 1));
    private static final LabelId WEB = Routers.label(1);
    private static final String OLD_COUNTER = NftRuleset.counterName(LabelCounter.directionLess(WEB));
    private static final List<String> FLOWS = List.of(
            RouterTopology.clientAddress(4, 0) + " " + RouterTopology.externalAddress(4, 0),
            RouterTopology.externalAddress(4, 1) + " " + RouterTopology.clientAddress(4, 1),
            RouterTopology.clientAddress(6, 0) + " " + RouterTopology.externalAddress(6, 0),
            RouterTopology.externalAddress(6, 1) + " " + RouterTopology.clientAddress(6, 1));

    @Test
    void an_agent_upgraded_over_direction_less_counters_loses_and_double_counts_nothing() throws Exception {
        try (RouterTopology topology = RouterTopology.create()) {
            String namespace = topology.router().name();
            topology.send(RandomTraffic.everyPairOnce());     // neighbours resolved before anything is counted
            topology.router().execWithInput(DirectionReference.TABLE, "nft", "-f", "-");
            topology.router().execWithInput(olderAgentsTable(), "nft", "-f", "-");
            Fakes.Store store = new Fakes.Store();
            Clock clock = Clock.systemUTC();
            store.written = UsageLedger.empty(clock.instant()).knowing(Map.of(WEB, PROJECT))
                    .withTables(Map.of(ROUTER, namespace));     // as the older agent wrote it: the counter not read yet
            Fakes.Server server = new Fakes.Server();
            NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner());
            List<Process> senders = topology.startSending(FLOWS, 5_000, 64);
            try {
                awaitTraffic(topology);
                MeteringAgent agent = new MeteringAgent(SETTINGS, server, driver, store, clock);
                Thread.sleep(200);      // the sync data arrives before the first measure, as at a start
                agent.synchronize(new HostSync(1, List.of(new RouterMetering(ROUTER, namespace,
                        RouterTopology.EXTERNAL_INTERFACE, List.of(new LabelMetering(WEB, List.of(
                                Routers.remote(WEB, Direction.INGRESS, false, "0.0.0.0/0"),
                                Routers.remote(WEB, Direction.INGRESS, false, "::/0"),
                                Routers.remote(WEB, Direction.EGRESS, false, "0.0.0.0/0"),
                                Routers.remote(WEB, Direction.EGRESS, false, "::/0")))))),
                        Map.of(WEB, PROJECT)));
                Thread.sleep(300);
                stop(senders);
                Map<Direction, TrafficCounter> crossed = settledReference(topology);
                agent.measure();
                agent.report();

                assertThat(topology.router().execOrFail("nft", "list", "table", "inet", "netmeter"))
                        .as("the old counter is gone").doesNotContain(OLD_COUNTER + " {");
                Map<UsageKey, TrafficCounter> reported = server.totals();
                TrafficCounter old = reported.get(new UsageKey(ROUTER, WEB, PROJECT, Optional.empty()));
                TrafficCounter ingress = reported.get(LabelCounter.of(WEB, Direction.INGRESS).on(ROUTER, PROJECT));
                TrafficCounter egress = reported.get(LabelCounter.of(WEB, Direction.EGRESS).on(ROUTER, PROJECT));
                System.out.printf("upgrade under traffic: old counter %s, ingress %s, egress %s; crossed %s%n", old,
                        ingress, egress, crossed);
                assertThat(reported).as("the old counter's last read, and the new counters").hasSize(3);
                assertThat(old.packets()).as("counted before the upgrade").isPositive();
                assertThat(ingress.packets()).as("counted in after the upgrade").isPositive();
                assertThat(egress.packets()).as("counted out after the upgrade").isPositive();
                assertThat(RandomTraffic.plus(old, RandomTraffic.plus(ingress, egress))).as("every packet, once")
                        .isEqualTo(RandomTraffic.plus(crossed.get(Direction.INGRESS), crossed.get(Direction.EGRESS)));
                assertThat(ingress.packets()).isLessThan(crossed.get(Direction.INGRESS).packets());
                assertThat(egress.packets()).isLessThan(crossed.get(Direction.EGRESS).packets());
            } finally {
                stop(senders);
            }
        }
    }

    /** netmeter's table as an agent before issue 17 left it for a label counting everything both ways. */
    private static String olderAgentsTable() {
        String device = "\"" + RouterTopology.EXTERNAL_INTERFACE + "\"";
        String count = " counter name \"" + OLD_COUNTER + "\"\n";
        return "table inet netmeter {\n counter " + OLD_COUNTER + " {\n }\n chain forward {\n"
                + "  type filter hook forward priority filter + 10; policy accept;\n"
                + "  iifname " + device + count
                + "  oifname " + device + " iifname != " + device + count
                + " }\n}\n";
    }

    private static void awaitTraffic(RouterTopology topology) throws Exception {
        for (int i = 0; i < 100; i++) {
            Map<Direction, TrafficCounter> crossed = reference(topology);
            if (crossed.values().stream().allMatch(counter -> counter.packets() > 0)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the traffic did not start: " + reference(topology));
    }

    private static Map<Direction, TrafficCounter> settledReference(RouterTopology topology) throws Exception {
        Map<Direction, TrafficCounter> last = reference(topology);
        while (true) {
            Thread.sleep(300);
            Map<Direction, TrafficCounter> now = reference(topology);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
    }

    private static Map<Direction, TrafficCounter> reference(RouterTopology topology) throws Exception {
        return DirectionReference.read(topology.router());
    }

    private static void stop(List<Process> senders) throws InterruptedException {
        senders.forEach(Process::destroy);
        for (Process sender : senders) {
            sender.waitFor();
        }
    }
}
