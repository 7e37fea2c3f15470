package dev.netmeter.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's side of the HTTP protocol against a stand-in server that answers as told: what the agent
 * asks, how it reads sync data, what it sends as a report, and which answers make a report retried or
 * dropped. The real server is in the end-to-end test.
 */
class HttpServerClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL = "11111111-1111-1111-1111-111111111111";
    private static final String ROUTER = "22222222-2222-2222-2222-222222222222";

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final List<JsonNode> bodies = new ArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " token="
                    + exchange.getRequestHeaders().getFirst("X-Auth-Token"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (body.length > 0) {
                bodies.add(JSON.readTree(body));
            }
            boolean bodyless = status == 204 || status == 304;
            byte[] out = bodyless ? new byte[0] : answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bodyless ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sync_data_becomes_the_routers_with_their_labels_rules_and_projects() throws Exception {
        answer = """
                {"sync": {"host": "net-1", "revision": 42,
                  "routers": [{"id": "%s", "namespace": "qrouter-x", "external_interface": "qg-x",
                               "_metering_labels": ["%s"]}],
                  "metering_labels": [{"id": "%s", "project_id": "p1", "shared": false, "rules": [
                    {"id": "33333333-3333-3333-3333-333333333333", "metering_label_id": "%s", "direction": "egress",
                     "excluded": true, "remote_ip_prefix": null, "source_ip_prefix": "2001:db8::/64",
                     "destination_ip_prefix": "10.0.0.0/8"}]}]}}""".formatted(ROUTER, LABEL, LABEL, LABEL);

        HostSync sync = client().sync(Optional.of(41L), Duration.ofSeconds(20)).orElseThrow();

        assertThat(requests).containsExactly("GET /v2.0/metering/sync?host=net-1&since=41&timeout=20 token=secret");
        assertThat(sync.revision()).isEqualTo(42);
        RouterMetering router = sync.routers().getFirst();
        assertThat(router.namespace()).isEqualTo("qrouter-x");
        assertThat(router.externalInterface()).isEqualTo("qg-x");
        var rule = router.labels().getFirst().rules().getFirst();
        assertThat(rule.direction()).isEqualTo(Direction.EGRESS);
        assertThat(rule.excluded()).isTrue();
        assertThat(rule.remoteIpPrefix()).isEmpty();
        assertThat(rule.sourceIpPrefix().orElseThrow().text()).isEqualTo("2001:db8::/64");
        assertThat(sync.labelProjects()).containsEntry(LabelId.parse(LABEL).orElseThrow(), new ProjectId("p1"));
    }

    /** A prefix stored by an older, more lenient server (a five-digit IPv6 group) that nft would refuse. */
    @Test
    void a_rule_the_agent_cannot_meter_is_skipped_and_the_rest_of_the_router_is_metered() throws Exception {
        answer = """
                {"sync": {"host": "net-1", "revision": 5,
                  "routers": [{"id": "%s", "namespace": "qrouter-x", "external_interface": "qg-x",
                               "_metering_labels": ["%s"]}],
                  "metering_labels": [{"id": "%s", "project_id": "p1", "shared": false, "rules": [
                    {"id": "33333333-3333-3333-3333-333333333333", "metering_label_id": "%s", "direction": "ingress",
                     "excluded": false, "remote_ip_prefix": "2001:00db8::/32"},
                    {"id": "44444444-4444-4444-4444-444444444444", "metering_label_id": "%s", "direction": "sideways",
                     "excluded": false, "remote_ip_prefix": "10.0.0.0/8"},
                    {"id": "55555555-5555-5555-5555-555555555555", "metering_label_id": "%s", "direction": "egress",
                     "excluded": false, "remote_ip_prefix": "10.1.0.0/16"}]}]}}"""
                .formatted(ROUTER, LABEL, LABEL, LABEL, LABEL, LABEL);

        HostSync sync = client().sync(Optional.empty(), Duration.ofSeconds(1)).orElseThrow();

        var rules = sync.routers().getFirst().labels().getFirst().rules();
        assertThat(rules).hasSize(1);
        assertThat(rules.getFirst().remoteIpPrefix().orElseThrow().text()).isEqualTo("10.1.0.0/16");
    }

    /**
     * Read by hand, a missing {@code excluded} was false and a prefix that is not text was "no prefix": a rule
     * metered other than it was written. Such a rule is no older server's doing, so the whole sync data fails.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "excluded|\"direction\": \"egress\", \"remote_ip_prefix\": null",
        "excluded|\"direction\": \"egress\", \"excluded\": \"true\", \"remote_ip_prefix\": null",
        "source_ip_prefix|\"direction\": \"egress\", \"excluded\": false, \"remote_ip_prefix\": null, "
                + "\"source_ip_prefix\": 5"})
    void a_rules_field_missing_or_of_another_type_fails_the_sync_data_naming_it(String field, String fields) {
        answer = """
                {"sync": {"host": "net-1", "revision": 5,
                  "routers": [{"id": "%s", "namespace": "qrouter-x", "external_interface": "qg-x",
                               "_metering_labels": ["%s"]}],
                  "metering_labels": [{"id": "%s", "project_id": "p1", "rules": [
                    {"id": "33333333-3333-3333-3333-333333333333", "metering_label_id": "%s", %s}]}]}}"""
                .formatted(ROUTER, LABEL, LABEL, LABEL, fields);

        assertThatThrownBy(() -> client().sync(Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("unexpected sync data")
                .hasMessageContaining("\"" + field + "\"");
    }

    @Test
    void no_change_in_the_wait_is_no_sync_data_and_a_failure_or_a_bad_answer_is_an_error() throws Exception {
        status = 304;
        assertThat(client().sync(Optional.of(7L), Duration.ofSeconds(1))).isEmpty();
        status = 503;
        answer = "{\"NeutronError\": {\"type\": \"ServiceUnavailable\"}}";
        assertThatThrownBy(() -> client().sync(Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("answered 503")
                .hasMessageContaining("ServiceUnavailable");
        status = 200;
        answer = "{\"sync\": {\"revision\": 1, \"routers\": [{\"id\": \"" + ROUTER + "\", \"namespace\": \"n\", "
                + "\"external_interface\": \"qg\", \"_metering_labels\": [\"" + LABEL
                + "\"]}], \"metering_labels\": []}}";
        assertThatThrownBy(() -> client().sync(Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("not in the data");
    }

    @Test
    void a_report_is_sent_in_the_servers_format() throws Exception {
        status = 201;
        Instant start = Instant.parse("2026-11-23T20:00:00Z");
        UsageKey key = new UsageKey(RouterId.parse(ROUTER).orElseThrow(), LabelId.parse(LABEL).orElseThrow(),
                new ProjectId("p1"), Optional.of(Direction.INGRESS));
        UsageReport report = new UsageReport(new UUID(5, 5), start, start.plusSeconds(300),
                Map.of(key, new Usage(3, 300, start.plusSeconds(30), start.plusSeconds(270))));

        assertThat(client().submit(report)).isEqualTo(ServerClient.Acknowledgement.STORED);

        assertThat(requests).containsExactly("POST /v2.0/metering/usage_reports token=secret");
        assertThat(bodies.getFirst()).isEqualTo(JSON.readTree("""
                {"usage_report": {"id": "00000000-0000-0005-0000-000000000005", "host": "net-1",
                  "window_start": "2026-11-23T20:00:00Z", "window_end": "2026-11-23T20:05:00Z",
                  "usage": [{"router_id": "%s", "label_id": "%s", "project_id": "p1", "pkts": 3, "bytes": 300,
                             "time": 240, "first_update": 1795464030, "last_update": 1795464270,
                             "direction": "ingress"}]}}
                """.formatted(ROUTER, LABEL)));
    }

    @Test
    void a_report_the_server_had_stored_already_is_acknowledged_as_such() throws Exception {
        status = 200;
        assertThat(client().submit(emptyReport())).isEqualTo(ServerClient.Acknowledgement.ALREADY_STORED);
    }

    /**
     * Only 201 and 200 say the server holds the report (on its disk, docs/api.md): a proxy or a server that
     * took the report without storing it yet (202), or any other answer, leaves the report in the ledger.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {202, 203, 204, 205, 206, 301, 302, 303, 304, 307, 308})
    void an_answer_that_does_not_say_stored_keeps_the_report_even_a_success(int success) {
        status = success;
        answer = "{\"usage_report\": {\"id\": \"%s\", \"rows\": 0}}".formatted(UUID.randomUUID());
        assertThatThrownBy(() -> client().submit(emptyReport())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ServerClient.ReportRejectedException.class)
                .hasMessageContaining("answered " + success);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {401, 403})
    void a_refused_token_is_told_apart_from_other_failures_in_reports_and_syncs(int refusal) {
        status = refusal;
        answer = "{\"NeutronError\": {\"type\": \"NotAuthenticated\", \"message\": \"…\", \"detail\": \"\"}}";
        assertThatThrownBy(() -> client().submit(emptyReport()))
                .isInstanceOf(ServerClient.CredentialsRefusedException.class)
                .hasMessageContaining("answered " + refusal);
        assertThatThrownBy(() -> client().sync(Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(ServerClient.CredentialsRefusedException.class)
                .hasMessageContaining("answered " + refusal);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 409})
    void a_report_the_server_refuses_for_what_it_is_is_rejected(int refusal) {
        status = refusal;
        answer = "{\"NeutronError\": {\"type\": \"UsageReportConflict\", \"message\": \"…\", \"detail\": \"\"}}";
        assertThatThrownBy(() -> client().submit(emptyReport()))
                .isInstanceOf(ServerClient.ReportRejectedException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {400, 409, 413})
    void a_refusal_from_something_else_than_the_server_such_as_a_proxy_keeps_the_report(int refusal) {
        status = refusal;
        answer = "<html><body>" + refusal + " Request Entity Too Large</body></html>";
        assertThatThrownBy(() -> client().submit(emptyReport())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ServerClient.ReportRejectedException.class);
    }

    @Test
    @Timeout(30)
    void a_server_that_stalls_in_the_middle_of_its_answer_is_an_error_once_the_timeout_passes() throws IOException {
        HttpServer stalling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        stalling.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        stalling.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 1000);
            exchange.getResponseBody().write("{\"sync\": ".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        stalling.start();
        try {
            ServerClient client = new HttpServerClient(
                    URI.create("http://127.0.0.1:" + stalling.getAddress().getPort()),
                    "secret", "net-1", Duration.ofSeconds(1));
            assertThatThrownBy(() -> client.submit(emptyReport())).isInstanceOf(IOException.class)
                    .hasMessageContaining("no whole answer within");
            assertThatThrownBy(() -> client.sync(Optional.empty(), Duration.ofSeconds(1)))
                    .isInstanceOf(IOException.class).hasMessageContaining("no whole answer within");
        } finally {
            released.countDown();
            stalling.stop(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {401, 403, 404, 408, 429, 500, 503})
    void any_other_failure_keeps_the_report_for_later(int failure) {
        status = failure;
        assertThatThrownBy(() -> client().submit(emptyReport())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ServerClient.ReportRejectedException.class);
    }

    @Test
    void a_server_that_is_down_is_an_error_to_retry() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ServerClient down = new HttpServerClient(URI.create("http://127.0.0.1:" + closed), "secret", "net-1");
        assertThatThrownBy(() -> down.submit(emptyReport())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ServerClient.ReportRejectedException.class);
        assertThatThrownBy(() -> down.sync(Optional.empty(), Duration.ofSeconds(1))).isInstanceOf(IOException.class);
    }

    private ServerClient client() {
        return new HttpServerClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "secret",
                "net-1");
    }

    private static UsageReport emptyReport() {
        Instant now = Instant.parse("2026-11-23T20:00:00Z");
        return new UsageReport(UUID.randomUUID(), now, now.plusSeconds(300), Map.of());
    }
}
