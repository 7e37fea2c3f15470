package dev.netmeter.server;

import static dev.netmeter.server.neutron.NeutronAnswers.gatewayPort;
import static dev.netmeter.server.neutron.NeutronAnswers.list;
import static dev.netmeter.server.neutron.NeutronAnswers.router;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import dev.netmeter.server.neutron.NeutronSettings;
import dev.netmeter.server.neutron.RecordedNeutron;
import dev.netmeter.server.neutron.NeutronRouterSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole server with {@code routers.source = neutron}, following a recorded Neutron over HTTP: routers appear,
 * the router API refuses writes (409), and when Neutron fails or answers an empty list the routers stay in force
 * while {@code /healthz} and {@code /metrics} say how old the view is.
 */
@Timeout(120)
class NeutronOutageTest {
    private static final String ROUTERS = "/v2.0/metering/routers";
    private RecordedNeutron neutron;
    private RunningServer server;
    private ApiClient api;
    private final List<String> routerIds = new ArrayList<>();

    @BeforeEach
    void start() {
        neutron = RecordedNeutron.start(Duration.ZERO);
        StringBuilder routers = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String id = UUID.randomUUID().toString();
            routerIds.add(id);
            routers.append(i == 0 ? "" : ",").append(router(id, "r" + i, "tenant1", true, true, false, false));
            ports.append(i == 0 ? "" : ",").append(gatewayPort(UUID.randomUUID().toString(), id, "net-" + i));
        }
        neutron.answer("/v2.0/routers", "{\"routers\": [" + routers + "]}")
                .answer(NeutronRouterSource.GATEWAY_PORTS, "{\"ports\": [" + ports + "]}")
                .answer(NeutronRouterSource.L3_AGENTS, list("agents"));
        server = RunningServer.following(Backend.H2, new NeutronSettings(neutron.url(), Optional.empty(),
                Duration.ofSeconds(1), 0.5, Duration.ofSeconds(5)));
        api = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
        neutron.close();
    }

    private Set<String> listedIds() {
        JsonNode routers = api.get(ROUTERS, Caller.ADMIN).json().path("routers");
        return StreamSupport.stream(routers.spliterator(), false).map(router -> router.path("id").asText())
                .collect(Collectors.toSet());
    }

    private JsonNode await(Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode health = api.get("/healthz", Caller.NO_HEADERS).json();
        while (!condition.test(health)) {
            assertThat(System.nanoTime()).as("waiting for /healthz: %s", health).isLessThan(deadline);
            Thread.sleep(100);
            health = api.get("/healthz", Caller.NO_HEADERS).json();
        }
        return health;
    }

    @Test
    void routers_come_from_neutron_and_the_router_api_refuses_to_change_them() throws Exception {
        await(health -> health.path("routers").path("routers").asInt() == 4);
        assertThat(listedIds()).containsExactlyInAnyOrderElementsOf(routerIds);

        String message = "Routers follow Neutron (routers.source = neutron): create, update and delete routers in "
                + "Neutron; netmeter's router API is read-only.";
        Response created = api.post(ROUTERS, Caller.ADMIN, """
                {"router": {"host": "net-1", "external_interface": "qg-1"}}""");
        Response updated = api.put(ROUTERS + "/" + routerIds.getFirst(), Caller.ADMIN, """
                {"router": {"host": "net-9"}}""");
        Response deleted = api.delete(ROUTERS + "/" + routerIds.getFirst(), Caller.ADMIN);
        for (Response refused : List.of(created, updated, deleted)) {
            assertThat(refused.status()).as("%s", refused).isEqualTo(409);
            assertThat(refused.errorType()).isEqualTo("RoutersFollowNeutron");
            assertThat(refused.errorMessage()).isEqualTo(message);
        }
        // A router nobody may see is still not found, as before.
        assertThat(api.delete(ROUTERS + "/" + UUID.randomUUID(), Caller.ADMIN).status()).isEqualTo(404);
        assertThat(listedIds()).containsExactlyInAnyOrderElementsOf(routerIds);
    }

    @Test
    void neutron_down_keeps_the_routers_and_healthz_and_metrics_say_how_old_the_view_is() throws Exception {
        JsonNode healthy = await(health -> health.path("routers").path("routers").asInt() == 4);
        assertThat(healthy.path("routers").path("source").asText()).isEqualTo("neutron");
        assertThat(healthy.path("routers").path("last_error").isNull()).isTrue();
        assertThat(healthy.path("routers").path("last_success").asText()).isNotEmpty();

        neutron.failWith(503);
        JsonNode failing = await(health -> health.path("routers").path("view_age_seconds").asLong() >= 3);
        assertThat(failing.path("status").asText()).isEqualTo("ok");
        assertThat(failing.path("routers").path("last_error").asText())
                .isEqualTo("Neutron answered 503 to GET /v2.0/routers");
        assertThat(listedIds()).containsExactlyInAnyOrderElementsOf(routerIds);
        String metrics = api.get("/metrics", Caller.ADMIN).body();
        double age = metrics.lines().filter(line -> line.startsWith("netmeter_routers_view_age_seconds "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no view age gauge in " + metrics));
        assertThat(age).isGreaterThanOrEqualTo(3);

        neutron.recover();
        await(health -> health.path("routers").path("view_age_seconds").asLong() < 2
                && health.path("routers").path("last_error").isNull());
    }

    @Test
    void an_empty_answer_does_not_wipe_the_routers_and_says_why() throws Exception {
        await(health -> health.path("routers").path("routers").asInt() == 4);

        neutron.answer("/v2.0/routers", list("routers"));
        JsonNode refused = await(health -> health.path("routers").path("routers").asInt() == 0);
        assertThat(refused.path("routers").path("last_error").asText())
                .isEqualTo("4 removals refused (neutron.max_removal_share)");
        assertThat(listedIds()).containsExactlyInAnyOrderElementsOf(routerIds);
    }
}
