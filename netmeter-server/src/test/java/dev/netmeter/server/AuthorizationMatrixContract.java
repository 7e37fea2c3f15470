package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static dev.netmeter.server.HttpContract.body;
import static dev.netmeter.server.HttpContract.ids;
import static dev.netmeter.server.HttpContract.items;
import static dev.netmeter.server.HttpContract.newProject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what, with real tokens over real HTTP: every endpoint against an admin, the owner project,
 * another project, no token, a bad token and an expired token. A subclass names the authentication
 * strategy and how it issues tokens. Unauthenticated callers get 401 with a {@code WWW-Authenticate}
 * challenge everywhere but version discovery and the health check; authenticated ones get Neutron's
 * default policy, where another project's resources are 404, never 403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizationMatrixContract {
    enum Role { ADMIN, OWNER, OTHER_PROJECT, NO_TOKEN, BAD_TOKEN, EXPIRED_TOKEN }

    enum Endpoint {
        VERSIONS, HEALTH, API_ROOT, EXTENSIONS, EXTENSION, UNKNOWN_PATH,
        LIST_LABELS, SHOW_LABEL, CREATE_LABEL, UPDATE_LABEL, DELETE_LABEL,
        LIST_RULES, SHOW_RULE, CREATE_RULE, UPDATE_RULE, DELETE_RULE,
        LIST_ROUTERS, SHOW_ROUTER, CREATE_ROUTER, UPDATE_ROUTER, DELETE_ROUTER, SYNC,
        CREATE_USAGE_REPORT, USAGE, METRICS, SHOW_BILLING_CYCLE, UPDATE_BILLING_CYCLE,
        SHOW_STATEMENT, CALLER, AGENTS, DASHBOARD
    }

    private static final String ROUTERS = "/v2.0/metering/routers";

    static final String ADMIN_PROJECT = newProject();
    final String owner = newProject();
    final String other = newProject();
    private final Map<Role, Map<String, String>> headers = new EnumMap<>(Role.class);
    private final AtomicInteger prefixes = new AtomicInteger(100);
    private RunningServer server;
    ApiClient api;
    private String label;
    private String rule;
    private String router;

    /** How the server identifies callers; {@code dir} is a scratch directory of this class. */
    abstract AuthSettings auth(Path dir);

    /** A valid token of {@code project} with {@code roles}. */
    abstract String token(String project, String... roles);

    /** A valid token of {@code project} that stops being valid at {@code expiresAt}. */
    abstract String tokenExpiringAt(String project, Instant expiresAt);

    /** The {@code WWW-Authenticate} value a 401 carries. */
    abstract String challenge();

    @BeforeAll
    void start_a_server_and_issue_a_token_per_caller(@TempDir Path dir) throws InterruptedException {
        server = RunningServer.start(Backend.H2, auth(dir));
        api = server.client();
        headers.put(Role.ADMIN, tokenHeader(token(ADMIN_PROJECT, "admin", "member", "reader")));
        headers.put(Role.OWNER, tokenHeader(token(owner, "member", "reader")));
        headers.put(Role.OTHER_PROJECT, tokenHeader(token(other, "member", "reader")));
        headers.put(Role.NO_TOKEN, Map.of());
        headers.put(Role.BAD_TOKEN, tokenHeader("gAAAAABnot-a-token-anyone-issued"));
        // The server's first request (and the Keystone service login) must not eat the token's short life.
        assertThat(send("GET", LABELS, headers.get(Role.ADMIN)).status()).as("warm-up").isEqualTo(200);
        Instant expiry = Instant.now().plus(Duration.ofSeconds(3));
        Map<String, String> expiring = tokenHeader(tokenExpiringAt(owner, expiry));
        assertThat(send("GET", LABELS, expiring).status()).as("valid before it expires (and cached)").isEqualTo(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 100);
        headers.put(Role.EXPIRED_TOKEN, expiring);

        label = createLabel();
        rule = createRule(label, "10.0.0.0/24");
        router = createRouter();
    }

    @AfterAll
    void stop_the_server() {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, String> tokenHeader(String token) {
        return Map.of("X-Auth-Token", token);
    }

    /** Endpoint, then the status for the admin, the owner project and another project. */
    static Stream<Arguments> authenticated() {
        return Stream.of(
                Arguments.of(Endpoint.VERSIONS, 200, 200, 200),
                Arguments.of(Endpoint.HEALTH, 200, 200, 200),
                Arguments.of(Endpoint.API_ROOT, 200, 200, 200),
                Arguments.of(Endpoint.EXTENSIONS, 200, 200, 200),
                Arguments.of(Endpoint.EXTENSION, 200, 200, 200),
                Arguments.of(Endpoint.UNKNOWN_PATH, 404, 404, 404),
                Arguments.of(Endpoint.LIST_LABELS, 200, 200, 200),
                Arguments.of(Endpoint.SHOW_LABEL, 200, 200, 404),
                Arguments.of(Endpoint.CREATE_LABEL, 201, 403, 403),
                Arguments.of(Endpoint.UPDATE_LABEL, 400, 400, 400),
                Arguments.of(Endpoint.DELETE_LABEL, 204, 403, 404),
                Arguments.of(Endpoint.LIST_RULES, 200, 200, 200),
                Arguments.of(Endpoint.SHOW_RULE, 200, 200, 404),
                Arguments.of(Endpoint.CREATE_RULE, 201, 403, 404),
                Arguments.of(Endpoint.UPDATE_RULE, 501, 501, 501),
                Arguments.of(Endpoint.DELETE_RULE, 204, 403, 404),
                Arguments.of(Endpoint.LIST_ROUTERS, 200, 200, 200),
                Arguments.of(Endpoint.SHOW_ROUTER, 200, 200, 404),
                Arguments.of(Endpoint.CREATE_ROUTER, 201, 403, 403),
                Arguments.of(Endpoint.UPDATE_ROUTER, 200, 403, 404),
                Arguments.of(Endpoint.DELETE_ROUTER, 204, 403, 404),
                Arguments.of(Endpoint.SYNC, 200, 403, 403),
                Arguments.of(Endpoint.CREATE_USAGE_REPORT, 201, 403, 403),
                Arguments.of(Endpoint.USAGE, 200, 200, 200),
                Arguments.of(Endpoint.METRICS, 200, 403, 403),
                Arguments.of(Endpoint.SHOW_BILLING_CYCLE, 200, 200, 404),
                Arguments.of(Endpoint.UPDATE_BILLING_CYCLE, 200, 403, 404),
                Arguments.of(Endpoint.SHOW_STATEMENT, 200, 200, 404),
                Arguments.of(Endpoint.CALLER, 200, 200, 200),
                Arguments.of(Endpoint.AGENTS, 200, 403, 403),
                Arguments.of(Endpoint.DASHBOARD, 200, 200, 200));
    }

    @ParameterizedTest(name = "{0}: admin {1}, owner {2}, other project {3}")
    @MethodSource("authenticated")
    void authenticated_callers_get_neutrons_default_policy(Endpoint endpoint, int admin, int owner, int otherProject) {
        assertThat(call(endpoint, Role.ADMIN).status()).as("admin").isEqualTo(admin);
        assertThat(call(endpoint, Role.OWNER).status()).as("owner").isEqualTo(owner);
        assertThat(call(endpoint, Role.OTHER_PROJECT).status()).as("other project").isEqualTo(otherProject);
    }

    @Test
    void an_agent_token_reads_any_hosts_sync_data_and_may_change_nothing() {
        Map<String, String> agent = tokenHeader(token(other, "agent"));
        ApiClient.Response sync = send("GET", "/v2.0/metering/sync?host=matrix-host", agent);
        assertThat(sync.status()).as("%s", sync).isEqualTo(200);
        assertThat(sync.json().path("sync").path("routers")).as("routers of another project, on its host").isNotEmpty();
        assertThat(send("POST", ROUTERS, agent, routerBody()).status()).isEqualTo(403);
        assertThat(send("POST", LABELS, agent, body("metering_label", "name", "x")).status()).isEqualTo(403);
    }

    @Test
    void an_agent_token_sends_usage_reports_and_reads_no_metrics() {
        Map<String, String> agent = tokenHeader(token(other, "agent"));

        assertThat(call(Endpoint.CREATE_USAGE_REPORT, agent).status()).isEqualTo(201);
        assertThat(send("GET", "/metrics", agent).status()).isEqualTo(403);
        assertThat(send("GET", "/metrics", tokenHeader(token(other, "metrics_reader"))).status()).isEqualTo(200);
    }

    @Test
    void a_bearer_token_counts_as_x_auth_token_does() {
        String admin = headers.get(Role.ADMIN).get("X-Auth-Token");
        String owner = headers.get(Role.OWNER).get("X-Auth-Token");

        assertThat(send("GET", "/metrics", Map.of("Authorization", "Bearer " + admin)).status()).isEqualTo(200);
        assertThat(send("GET", "/metrics", Map.of("Authorization", "bearer " + owner)).status()).isEqualTo(403);
        assertThat(send("POST", LABELS, Map.of("Authorization", "Bearer " + owner),
                body("metering_label", "name", "x")).status()).isEqualTo(403);
        assertThat(send("GET", "/metrics", Map.of("Authorization", "Bearer " + admin, "X-Auth-Token", admin))
                .status()).isEqualTo(200);
        ApiClient.Response bad = send("GET", LABELS, Map.of("Authorization", "Bearer gAAAAABnot-a-token"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.headers().firstValue("WWW-Authenticate")).contains(challenge());
        assertThat(send("GET", LABELS, Map.of("Authorization", "Basic YWRtaW46c2VjcmV0")).status()).isEqualTo(401);
    }

    @Test
    void two_different_tokens_are_a_bad_request() {
        String admin = headers.get(Role.ADMIN).get("X-Auth-Token");
        String owner = headers.get(Role.OWNER).get("X-Auth-Token");
        ApiClient.Response both = send("GET", LABELS,
                Map.of("X-Auth-Token", admin, "Authorization", "Bearer " + owner));

        assertThat(both.status()).isEqualTo(400);
        assertThat(both.errorType()).isEqualTo("HTTPBadRequest");
        assertThat(both.errorMessage())
                .isEqualTo("The X-Auth-Token and Authorization: Bearer headers carry different tokens");
    }

    static Stream<Arguments> unauthenticated() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (Role role : List.of(Role.NO_TOKEN, Role.BAD_TOKEN, Role.EXPIRED_TOKEN)) {
                boolean isPublic = endpoint == Endpoint.VERSIONS || endpoint == Endpoint.HEALTH
                        || endpoint == Endpoint.DASHBOARD;
                rows.add(Arguments.of(endpoint, role, isPublic ? 200 : 401));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} with {1}: {2}")
    @MethodSource("unauthenticated")
    void callers_without_a_valid_token_get_401_with_a_challenge(Endpoint endpoint, Role role, int status) {
        ApiClient.Response response = call(endpoint, role);

        assertThat(response.status()).isEqualTo(status);
        if (status == 401) {
            assertThat(response.errorType()).isEqualTo("HTTPUnauthorized");
            assertThat(response.errorMessage()).isEqualTo("The request you have made requires authentication.");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains(challenge());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void lists_hold_what_the_caller_may_see(Role role) {
        List<String> labels = ids(items(send("GET", LABELS, headers.get(role)), "metering_labels"));
        List<String> rules = ids(items(send("GET", RULES, headers.get(role)), "metering_label_rules"));

        boolean sees = role != Role.OTHER_PROJECT;
        assertThat(labels.contains(label)).isEqualTo(sees);
        assertThat(rules.contains(rule)).isEqualTo(sees);
    }

    static Stream<Role> roles() {
        return Stream.of(Role.ADMIN, Role.OWNER, Role.OTHER_PROJECT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void what_a_denied_caller_sent_changes_nothing(Role role) {
        int labelsBefore = items(send("GET", LABELS, headers.get(Role.ADMIN)), "metering_labels").size();
        call(Endpoint.CREATE_LABEL, role == Role.ADMIN ? Role.BAD_TOKEN : role);
        call(Endpoint.CREATE_LABEL, Role.NO_TOKEN);
        int labelsAfter = items(send("GET", LABELS, headers.get(Role.ADMIN)), "metering_labels").size();

        assertThat(labelsAfter).isEqualTo(labelsBefore);
    }

    ApiClient.Response call(Endpoint endpoint, Role role) {
        return call(endpoint, headers.get(role));
    }

    ApiClient.Response call(Endpoint endpoint, Map<String, String> caller) {
        return switch (endpoint) {
            case VERSIONS -> send("GET", "/", caller);
            case HEALTH -> send("GET", "/healthz", caller);
            case API_ROOT -> send("GET", "/v2.0", caller);
            case EXTENSIONS -> send("GET", "/v2.0/extensions", caller);
            case EXTENSION -> send("GET", "/v2.0/extensions/metering", caller);
            case UNKNOWN_PATH -> send("GET", "/v2.0/metering/nothing-here", caller);
            case LIST_LABELS -> send("GET", LABELS, caller);
            case SHOW_LABEL -> send("GET", LABELS + "/" + label, caller);
            case CREATE_LABEL -> send("POST", LABELS, caller,
                    body("metering_label", "name", "new", "tenant_id", owner));
            case UPDATE_LABEL -> send("PUT", LABELS + "/" + label, caller, body("metering_label", "name", "renamed"));
            case DELETE_LABEL -> send("DELETE", LABELS + "/" + createLabel(), caller);
            case LIST_RULES -> send("GET", RULES, caller);
            case SHOW_RULE -> send("GET", RULES + "/" + rule, caller);
            case CREATE_RULE -> send("POST", RULES, caller, body("metering_label_rule", "metering_label_id",
                    createLabel(), "direction", "egress", "remote_ip_prefix", "10.9.0.0/16"));
            case UPDATE_RULE -> send("PUT", RULES + "/" + rule, caller, body("metering_label_rule",
                    "source_ip_prefix", "10.10.0.0/24"));
            case LIST_ROUTERS -> send("GET", ROUTERS, caller);
            case SHOW_ROUTER -> send("GET", ROUTERS + "/" + router, caller);
            case CREATE_ROUTER -> send("POST", ROUTERS, caller, routerBody());
            case UPDATE_ROUTER -> send("PUT", ROUTERS + "/" + router, caller, body("router", "name", "renamed"));
            case DELETE_ROUTER -> send("DELETE", ROUTERS + "/" + createRouter(), caller);
            case SYNC -> send("GET", "/v2.0/metering/sync?host=matrix-host", caller);
            case CREATE_USAGE_REPORT -> send("POST", UsageApiContract.REPORTS, caller, UsageApiContract.report(
                    UsageApiContract.uuid(), "matrix-host", UsageApiContract.row(router, label, owner, 1, 1, 0, 0)));
            case USAGE -> send("GET", UsageApiContract.USAGE + "?granularity=router", caller);
            case METRICS -> send("GET", "/metrics", caller);
            case SHOW_BILLING_CYCLE -> send("GET", BillingApiContract.CYCLES + owner, caller);
            case UPDATE_BILLING_CYCLE -> send("PUT", BillingApiContract.CYCLES + owner, caller,
                    body("billing_cycle", "start_day", 15, "time_zone", "Europe/Berlin"));
            case SHOW_STATEMENT -> send("GET", StatementApiContract.STATEMENTS + "?period=2026-11&project_id=" + owner,
                    caller);
            case CALLER -> send("GET", "/v2.0/metering/caller", caller);
            case AGENTS -> send("GET", "/v2.0/metering/agents", caller);
            case DASHBOARD -> send("GET", "/dashboard", caller);
            case DELETE_RULE -> send("DELETE", RULES + "/" + createRule(label,
                    "10.%d.0.0/16".formatted(prefixes.incrementAndGet())), caller);
        };
    }

    ApiClient.Response send(String method, String path, Map<String, String> caller) {
        return api.send(method, path, caller, BodyPublishers.noBody());
    }

    ApiClient.Response send(String method, String path, Map<String, String> caller, String json) {
        Map<String, String> withJson = new HashMap<>(caller);
        withJson.put("Content-Type", "application/json");
        return api.send(method, path, withJson, BodyPublishers.ofString(json));
    }

    /** A router of the owner project, created by the admin. */
    private String createRouter() {
        ApiClient.Response created = send("POST", ROUTERS, headers.get(Role.ADMIN), routerBody());
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().path("router").path("id").asText();
    }

    private String routerBody() {
        return body("router", "tenant_id", owner, "host", "matrix-host", "external_interface", "qg-matrix");
    }

    /** A label of the owner project, created by the admin. */
    private String createLabel() {
        ApiClient.Response created = send("POST", LABELS, headers.get(Role.ADMIN),
                body("metering_label", "name", "owned", "tenant_id", owner));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().path("metering_label").path("id").asText();
    }

    private String createRule(String labelId, String prefix) {
        ApiClient.Response created = send("POST", RULES, headers.get(Role.ADMIN), body("metering_label_rule",
                "metering_label_id", labelId, "direction", "ingress", "remote_ip_prefix", prefix));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().path("metering_label_rule").path("id").asText();
    }
}
