package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real Neutron 21 (Debian's python3-neutron), started on a free loopback port by
 * {@code scripts/neutron-test-server.sh} in noauth mode with a private sqlite database, and driven through its
 * API v2.0 as its noauth admin (no identity headers), or, started with a {@link RealKeystone}, as Keystone's
 * admin. No agent can register with it (no RPC). Not thread-safe.
 */
final class RealNeutron implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "scripts", "neutron-test-server.sh").toAbsolutePath().normalize();

    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Optional<String> token;

    private RealNeutron(Map<String, String> environment, Optional<String> token) {
        this.environment = environment;
        this.token = token;
    }

    /**
     * Starts one (about 20 s).
     *
     * @throws org.opentest4j.TestAbortedException if Neutron is not installed (outside CI)
     */
    static RealNeutron start() throws IOException, InterruptedException {
        return start(Optional.empty());
    }

    /**
     * Starts one that authenticates requests with {@code keystone}, validating tokens as its bootstrap admin, and
     * sends its own requests with the admin's token.
     */
    static RealNeutron start(RealKeystone keystone) throws IOException, InterruptedException {
        return start(Optional.of(keystone));
    }

    private static RealNeutron start(Optional<RealKeystone> keystone) throws IOException, InterruptedException {
        ExternalTool.require("neutron-server", "neutron-common python3-neutron");
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "start");
        builder.environment().put("NEUTRON_PORT", Integer.toString(LauncherIT.freePort()));
        if (keystone.isPresent()) {
            builder.environment().put("NEUTRON_KEYSTONE_URL", keystone.get().url().toString());
            builder.environment().put("NEUTRON_KEYSTONE_PASSWORD", RealKeystone.ADMIN_PASSWORD);
        }
        Map<String, String> environment = TestServerScript.start(builder, "Neutron", Duration.ofSeconds(180));
        Optional<String> token = Optional.empty();
        if (keystone.isPresent()) {
            token = Optional.of(keystone.get().login("admin", RealKeystone.ADMIN_PASSWORD, "admin"));
        }
        return new RealNeutron(environment, token);
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:39123}. */
    URI url() {
        return URI.create(environment.get("NEUTRON_URL"));
    }

    /** Sends {@code body} (JSON, or null), expects {@code expected}, returns the answer's JSON (null if empty). */
    JsonNode send(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(value -> request.header("X-Auth-Token", value));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("Neutron answered %s %s with %d: %s".formatted(method, path,
                    response.statusCode(), response.body()));
        }
        return response.body().isEmpty() ? null : ApiClient.JSON.readTree(response.body());
    }

    /** Makes an external network with a subnet (as an admin would, for routers' gateways); returns its id. */
    String createExternalNetwork() throws IOException, InterruptedException {
        String network = send("POST", "/v2.0/networks", """
                {"network": {"name": "public", "router:external": true, "provider:network_type": "flat",
                 "provider:physical_network": "physnet1"}}""", 201).path("network").path("id").asText();
        send("POST", "/v2.0/subnets", """
                {"subnet": {"network_id": "%s", "cidr": "203.0.113.0/24", "ip_version": 4}}""".formatted(network), 201);
        return network;
    }

    /** Makes a router of {@code project}, with a gateway on {@code network} unless it is null; returns its id. */
    String createRouter(String name, String project, String network) throws IOException, InterruptedException {
        String gateway = network == null ? ""
                : ", \"external_gateway_info\": {\"network_id\": \"%s\"}".formatted(network);
        return send("POST", "/v2.0/routers", """
                {"router": {"name": "%s", "tenant_id": "%s"%s}}""".formatted(name, project, gateway), 201)
                .path("router").path("id").asText();
    }

    /** The id of {@code router}'s gateway port. */
    String gatewayPort(String router) throws IOException, InterruptedException {
        return send("GET", "/v2.0/ports?device_owner=network:router_gateway&device_id=" + router, null, 200)
                .path("ports").get(0).path("id").asText();
    }

    /** Binds {@code port} to {@code host}, as Neutron does when an agent brings it up there. */
    void bind(String port, String host) throws IOException, InterruptedException {
        send("PUT", "/v2.0/ports/" + port, """
                {"port": {"binding:host_id": "%s"}}""".formatted(host), 200);
    }

    /**
     * Registers an L3 agent on {@code host} in {@code mode} ({@code legacy}, {@code dvr}, {@code dvr_snat}) as its
     * first state report would: agents report over RPC, which this Neutron has not, so the row is written into
     * its database; Neutron's API then shows it as any agent. Returns its id.
     */
    String registerL3Agent(String host, String mode) throws IOException, InterruptedException {
        String id = UUID.randomUUID().toString();
        sql("""
                INSERT INTO agents (id, agent_type, binary, topic, host, availability_zone, admin_state_up, created_at,
                    started_at, heartbeat_timestamp, configurations, load)
                VALUES ('%s', 'L3 agent', 'neutron-l3-agent', 'l3_agent', '%s', 'nova', 1, datetime('now'),
                    datetime('now'), datetime('now'), '{"agent_mode": "%s"}', 0);""".formatted(id, host, mode));
        return id;
    }

    /**
     * Schedules {@code router} to {@code agent} too, if it is not yet, as Neutron's scheduler does (adding it
     * through the API waits for the agent's RPC answer, which never comes here).
     */
    void schedule(String router, String agent) throws IOException, InterruptedException {
        sql("""
                INSERT OR IGNORE INTO routerl3agentbindings (router_id, l3_agent_id, binding_index)
                VALUES ('%1$s', '%2$s', (SELECT COUNT(*) + 1 FROM routerl3agentbindings WHERE router_id = '%1$s'));"""
                .formatted(router, agent));
    }

    /** The hosts of the L3 agents Neutron says host {@code router}. */
    List<String> l3AgentHosts(String router) throws IOException, InterruptedException {
        List<String> hosts = new ArrayList<>();
        send("GET", "/v2.0/routers/%s/l3-agents".formatted(router), null, 200).path("agents")
                .forEach(agent -> hosts.add(agent.path("host").asText()));
        return hosts;
    }

    private void sql(String statement) throws IOException, InterruptedException {
        Path sqlite = ExternalTool.require("sqlite3", "sqlite3");
        // Neutron's own workers write the same file: wait for their lock instead of failing on it at once.
        Process process = new ProcessBuilder(sqlite.toString(), "-cmd", ".timeout 20000",
                Path.of(environment.get("NEUTRON_DIR"), "neutron.sqlite").toString(), statement)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("sqlite3 failed: " + output);
        }
    }

    /**
     * The router as {@code api} shows it (null if it has none) once {@code condition} holds, waiting up to 30 s
     * for netmeter to poll.
     */
    static JsonNode awaitRouter(ApiClient api, String id, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            ApiClient.Response response = api.get("/v2.0/metering/routers/" + id, ApiClient.Caller.ADMIN);
            JsonNode found = response.status() == 404 ? null : response.json().path("router");
            if (condition.test(found)) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                JsonNode health = api.get("/healthz", ApiClient.Caller.NO_HEADERS).json();
                throw new AssertionError("router %s is %s after 30 s (/healthz: %s)".formatted(id, found, health));
            }
            Thread.sleep(200);
        }
    }

    /** {@code /healthz} once {@code condition} holds, waiting up to 30 s. */
    static JsonNode awaitHealth(ApiClient api, Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode health = api.get("/healthz", ApiClient.Caller.NO_HEADERS).json();
            if (condition.test(health)) {
                return health;
            }
            assertThat(System.nanoTime()).as("/healthz is %s", health).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws IOException {
        TestServerScript.stop(SCRIPT, environment.get("NEUTRON_DIR"));
    }
}
