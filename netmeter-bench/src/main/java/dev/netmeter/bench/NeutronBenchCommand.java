package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.Router;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.neutron.NeutronRouterSource;
import dev.netmeter.server.neutron.NeutronSettings;
import dev.netmeter.server.neutron.RecordedNeutron;
import dev.netmeter.service.ChangeSignal;
import dev.netmeter.service.RouterReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench neutron}: one poll of a Neutron with many routers ({@code routers.source = neutron}),
 * against a local HTTP server that answers Neutron's recorded answer shapes after a fixed delay per request:
 * the read alone (requests, parsing, mapping), and the read with the reconciliation into an embedded database
 * when nothing changed (every poll but the first). One router in ten is HA (hosted by two L3 agents).
 */
@Command(name = "neutron", mixinStandardHelpOptions = true,
        description = "Measure one poll of Neutron's routers (routers.source = neutron) against a recorded answer.")
public final class NeutronBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK = "925691c4-6a64-4f83-84d9-3269abcd36c9";

    @Option(names = "--routers", defaultValue = "5000", description = "Routers with a gateway (default 5000).")
    private int routers;

    @Option(names = "--agents", defaultValue = "20", description = "L3 agents (default 20).")
    private int agents;

    @Option(names = "--delay-ms", defaultValue = "5", description = "Delay of each answer (default 5 ms).")
    private int delayMillis;

    @Option(names = "--runs", defaultValue = "10", description = "Polls measured (default 10).")
    private int runs;

    @Override
    public Integer call() throws Exception {
        try (RecordedNeutron neutron = RecordedNeutron.start(Duration.ofMillis(delayMillis))) {
            record(neutron);
            NeutronRouterSource source = NeutronRouterSource.create(new NeutronSettings(neutron.url(),
                    Optional.empty(), Duration.ofSeconds(30), 0.5, Duration.ofSeconds(30)), Clock.systemUTC());
            report("recorded Neutron", "%d routers, %d L3 agents, %d ms per answer".formatted(routers, agents,
                    delayMillis));
            for (int i = 0; i < 3; i++) {
                source.fetchAll();   // warm-up: class loading, JIT, connections
            }
            long before = neutron.requests();
            long[] reads = new long[runs];
            List<Router> read = List.of();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                read = source.fetchAll();
                reads[i] = System.nanoTime() - start;
            }
            report("routers read per poll", Integer.toString(read.size()));
            report("requests per poll", Long.toString((neutron.requests() - before) / runs));
            report("poll: read Neutron (HTTP, parse, map)", summary(reads)
                    + ", max %.1f ms".formatted(max(reads) / 1e6));
            try (Database database = Database.open(new DatabaseSettings("jdbc:h2:mem:neutron-bench-" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1", "", "", 4, Duration.ofSeconds(5)))) {
                RouterReconciler reconciler = new RouterReconciler(database.transactor(), ChangeSignal.NONE, 0.5);
                long start = System.nanoTime();
                reconciler.reconcile(source.fetchAll());
                report("first poll: read and store every router (H2)",
                        "%.1f ms".formatted((System.nanoTime() - start) / 1e6));
                long[] polls = new long[runs];
                for (int i = 0; i < runs; i++) {
                    start = System.nanoTime();
                    reconciler.reconcile(source.fetchAll());
                    polls[i] = System.nanoTime() - start;
                }
                report("poll: read and reconcile, nothing changed (H2)", summary(polls)
                        + ", max %.1f ms".formatted(max(polls) / 1e6));
            }
        }
        return 0;
    }

    private static long max(long[] values) {
        long max = 0;
        for (long value : values) {
            max = Math.max(max, value);
        }
        return max;
    }

    /** Answers shaped as the real Neutron 21's (every attribute it sends), so that parsing costs what it would. */
    private void record(RecordedNeutron neutron) {
        ObjectNode routerList = JSON.createObjectNode();
        ArrayNode routerArray = routerList.putArray("routers");
        ObjectNode portList = JSON.createObjectNode();
        ArrayNode portArray = portList.putArray("ports");
        List<List<String>> hosted = new ArrayList<>();
        ObjectNode agentList = JSON.createObjectNode();
        ArrayNode agentArray = agentList.putArray("agents");
        List<String> agentIds = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            String id = UUID.randomUUID().toString();
            agentIds.add(id);
            hosted.add(new ArrayList<>());
            ObjectNode agent = agentArray.addObject().put("id", id).put("agent_type", "L3 agent")
                    .put("binary", "neutron-l3-agent").put("topic", "l3_agent").put("host", "net-" + a)
                    .put("admin_state_up", true).put("alive", true).put("availability_zone", "nova");
            agent.putObject("configurations").put("agent_mode", "legacy").put("routers", routers / agents);
        }
        for (int r = 0; r < routers; r++) {
            String id = UUID.randomUUID().toString();
            boolean ha = r % 10 == 0;
            ObjectNode router = routerArray.addObject().put("id", id).put("name", "router-" + r)
                    .put("tenant_id", "project" + r % 500).put("admin_state_up", true).put("status", "ACTIVE");
            ObjectNode gateway = router.putObject("external_gateway_info").put("network_id", NETWORK);
            gateway.putArray("external_fixed_ips").addObject().put("subnet_id", UUID.randomUUID().toString())
                    .put("ip_address", "203.0.%d.%d".formatted(r / 250, r % 250 + 1));
            gateway.put("enable_snat", true);
            router.put("description", "").putArray("availability_zones").add("nova");
            router.put("distributed", false).put("ha", ha).putArray("availability_zone_hints");
            router.putArray("routes");
            router.putNull("flavor_id").putArray("tags");
            router.put("created_at", "2026-12-03T02:29:56Z").put("updated_at", "2026-12-03T02:29:56Z")
                    .put("revision_number", 3).put("project_id", "project" + r % 500);
            int agent = r % agents;
            hosted.get(agent).add(id);
            if (ha) {
                hosted.get((agent + 1) % agents).add(id);
            }
            ObjectNode port = portArray.addObject().put("id", UUID.randomUUID().toString()).put("name", "")
                    .put("network_id", NETWORK).put("tenant_id", "").put("mac_address", "fa:16:3e:68:f8:8f")
                    .put("admin_state_up", true).put("status", "ACTIVE").put("device_id", id)
                    .put("device_owner", "network:router_gateway");
            port.putArray("fixed_ips").addObject().put("subnet_id", UUID.randomUUID().toString())
                    .put("ip_address", "203.0.%d.%d".formatted(r / 250, r % 250 + 1));
            port.put("binding:vnic_type", "normal").put("binding:host_id", "net-" + agent)
                    .put("binding:vif_type", "ovs").put("project_id", "");
        }
        neutron.answer("/v2.0/routers", routerList.toString())
                .answer(NeutronRouterSource.GATEWAY_PORTS, portList.toString())
                .answer(NeutronRouterSource.L3_AGENTS, agentList.toString());
        Map<String, JsonNode> byId = new HashMap<>();
        routerArray.forEach(router -> byId.put(router.get("id").asText(), router));
        for (int a = 0; a < agents; a++) {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode array = answer.putArray("routers");
            hosted.get(a).forEach(id -> array.add(byId.get(id)));   // whole router objects, as Neutron lists them
            neutron.answer("/v2.0/agents/%s/l3-routers".formatted(agentIds.get(a)), answer.toString());
        }
    }
}
