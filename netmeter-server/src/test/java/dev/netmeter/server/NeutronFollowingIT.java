package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.neutron.NeutronSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code routers.source = neutron} against the real Neutron 21 (noauth, sqlite): a router with a gateway made in
 * Neutron appears in netmeter and in its host's agent sync data; when its gateway port's {@code binding:host_id}
 * changes it moves there; disabled, it stays but leaves the sync data; without its gateway, or deleted, it
 * goes. Then, with L3 agents registered in Neutron's database (no agent can report over RPC here), Neutron's own
 * scheduler places routers: netmeter meters a router on its agent's host, moves it when it is rescheduled, an HA
 * router on the host its gateway port is bound to (the active instance's), a DVR router in {@code snat-<id>} on the
 * {@code dvr_snat} host. The order matters: once agents exist, Neutron schedules every new router.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeutronFollowingIT {
    private static final String ROUTERS = "/v2.0/metering/routers";
    private static final Caller AGENT = new Caller("agent", "services", "agent-user", "agent");
    private static final String PROJECT = "cafe0000cafe0000cafe0000cafe0000";
    private RealNeutron neutron;
    private RunningServer server;
    private ApiClient api;
    private String externalNetwork;

    @BeforeAll
    void start() throws Exception {
        neutron = RealNeutron.start();
        externalNetwork = neutron.createExternalNetwork();
        server = RunningServer.following(Backend.H2, new NeutronSettings(neutron.url(), Optional.empty(),
                Duration.ofSeconds(1), 0.5, Duration.ofSeconds(30)));
        api = server.client();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (neutron != null) {
            neutron.close();
        }
    }

    @Test
    @Order(1)
    void routers_made_moved_disabled_and_deleted_in_neutron_are_followed_by_netmeter_and_its_agents()
            throws Exception {
        String label = api.post("/v2.0/metering/metering-labels", Caller.ADMIN, """
                {"metering_label": {"name": "internet", "tenant_id": "%s"}}""".formatted(PROJECT))
                .json().path("metering_label").path("id").asText();
        String router = createRouter("edge", true);
        String internal = createRouter("internal-only", false);
        String port = neutron.gatewayPort(router);
        neutron.bind(port, "net-1");

        JsonNode followed = awaitRouter(router, found -> found != null && found.path("host").asText().equals("net-1"));
        assertThat(followed.path("name").asText()).isEqualTo("edge");
        assertThat(followed.path("project_id").asText()).isEqualTo(PROJECT);
        assertThat(followed.path("namespace").asText()).isEqualTo("qrouter-" + router);
        assertThat(followed.path("external_interface").asText()).isEqualTo("qg-" + port.substring(0, 11));
        assertThat(followed.path("admin_state_up").asBoolean()).isTrue();
        assertThat(awaitRouter(internal, found -> true)).as("a router without gateway").isNull();
        assertThat(syncRouters("net-1")).containsExactly(router);
        assertThat(syncLabels("net-1")).containsExactly(label);

        neutron.bind(port, "net-2");   // moved, as Neutron moves an HA router's gateway to the active host
        awaitRouter(router, found -> found != null && found.path("host").asText().equals("net-2"));
        assertThat(syncRouters("net-1")).isEmpty();
        assertThat(syncRouters("net-2")).containsExactly(router);

        neutron.send("PUT", "/v2.0/routers/" + router, """
                {"router": {"admin_state_up": false}}""", 200);
        awaitRouter(router, found -> found != null && !found.path("admin_state_up").asBoolean());
        assertThat(syncRouters("net-2")).as("a disabled router is not metered").isEmpty();

        neutron.send("PUT", "/v2.0/routers/" + router, """
                {"router": {"admin_state_up": true, "external_gateway_info": {}}}""", 200);
        assertThat(awaitRouter(router, found -> found == null)).as("a router whose gateway was removed").isNull();

        String other = createRouter("edge-2", true);
        neutron.bind(neutron.gatewayPort(other), "net-3");
        awaitRouter(other, found -> found != null);
        assertThat(syncRouters("net-3")).containsExactly(other);
        neutron.send("DELETE", "/v2.0/routers/" + other, null, 204);
        awaitRouter(other, found -> found == null);
        assertThat(syncRouters("net-3")).isEmpty();
    }

    @Test
    @Order(2)
    void a_router_is_metered_on_its_l3_agents_host_its_ha_active_host_or_its_dvr_snat_host() throws Exception {
        // Registered agents make Neutron's own scheduler place new routers (LeastRoutersScheduler).
        String net5 = neutron.registerL3Agent("net-5", "legacy");
        String net6 = neutron.registerL3Agent("net-6", "legacy");
        String legacy = createRouter("scheduled", true);   // its gateway port stays unbound: only the agent says where
        List<String> scheduled = neutron.l3AgentHosts(legacy);
        assertThat(scheduled).hasSize(1);
        awaitRouter(legacy, found -> found != null && found.path("host").asText().equals(scheduled.getFirst()));

        String from = scheduled.getFirst().equals("net-5") ? net5 : net6;
        String to = from.equals(net5) ? net6 : net5;
        neutron.send("DELETE", "/v2.0/agents/%s/l3-routers/%s".formatted(from, legacy), null, 204);
        neutron.schedule(legacy, to);
        String target = neutron.l3AgentHosts(legacy).getFirst();
        assertThat(target).isNotEqualTo(scheduled.getFirst());
        awaitRouter(legacy, found -> found != null && found.path("host").asText().equals(target));

        String ha = neutron.send("POST", "/v2.0/routers", """
                {"router": {"name": "ha", "tenant_id": "%s", "ha": true, \
                "external_gateway_info": {"network_id": "%s"}}}"""
                .formatted(PROJECT, externalNetwork), 201).path("router").path("id").asText();
        neutron.schedule(ha, net5);
        neutron.schedule(ha, net6);
        assertThat(neutron.l3AgentHosts(ha)).containsExactlyInAnyOrder("net-5", "net-6");
        String haPort = neutron.gatewayPort(ha);
        neutron.bind(haPort, "net-6");   // what Neutron does when net-6's instance turns active
        awaitRouter(ha, found -> found != null && found.path("host").asText().equals("net-6"));
        neutron.bind(haPort, "net-5");   // a failover
        awaitRouter(ha, found -> found != null && found.path("host").asText().equals("net-5"));

        String compute = neutron.registerL3Agent("compute-1", "dvr");
        String snat = neutron.registerL3Agent("net-7", "dvr_snat");
        String dvr = neutron.send("POST", "/v2.0/routers", """
                {"router": {"name": "dvr", "tenant_id": "%s", "distributed": true,
                 "external_gateway_info": {"network_id": "%s"}}}""".formatted(PROJECT, externalNetwork), 201)
                .path("router").path("id").asText();
        neutron.schedule(dvr, snat);
        neutron.schedule(dvr, compute);   // the compute node's part, which carries no SNAT traffic
        assertThat(neutron.l3AgentHosts(dvr)).contains("net-7", "compute-1");
        JsonNode followed = awaitRouter(dvr, found -> found != null);
        assertThat(followed.path("host").asText()).isEqualTo("net-7");
        assertThat(followed.path("namespace").asText()).isEqualTo("snat-" + dvr);
        assertThat(followed.path("distributed").asBoolean()).isTrue();
    }

    @Test
    void the_router_api_is_read_only_while_routers_follow_neutron() {
        ApiClient.Response refused = api.post(ROUTERS, Caller.ADMIN, """
                {"router": {"host": "net-1", "external_interface": "qg-1"}}""");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorType()).isEqualTo("RoutersFollowNeutron");
    }

    private String createRouter(String name, boolean gateway) throws Exception {
        return neutron.createRouter(name, PROJECT, gateway ? externalNetwork : null);
    }

    private JsonNode awaitRouter(String id, Predicate<JsonNode> condition) throws InterruptedException {
        return RealNeutron.awaitRouter(api, id, condition);
    }

    private List<String> syncRouters(String host) {
        return ids(api.get("/v2.0/metering/sync?host=" + host, AGENT).json().path("sync").path("routers"));
    }

    private List<String> syncLabels(String host) {
        return ids(api.get("/v2.0/metering/sync?host=" + host, AGENT).json().path("sync").path("metering_labels"));
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }
}
