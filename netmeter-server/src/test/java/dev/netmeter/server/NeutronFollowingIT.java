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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code routers.source = neutron} against the real Neutron 21 (noauth, sqlite): a router with a gateway made in
 * Neutron appears in netmeter and in its host's agent sync data; when its gateway port's {@code binding:host_id}
 * changes it moves there; disabled, it stays but leaves the sync data; without its gateway, or deleted, it
 * goes. The L3-agent, HA and DVR cases need registered agents: {@code NeutronRouterSourceTest} covers them with
 * recorded answers.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
