package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes {@code /metrics} as the README configures it: a
 * bearer token with the {@code metrics_reader} role. What it stores is what was reported, per label and per
 * project; a job with a wrong token is refused (its target is down).
 */
@Timeout(180)
class PrometheusScrapeIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void prometheus_scrapes_the_label_and_project_totals_with_a_bearer_token(@TempDir Path dir) throws Exception {
        Path prometheus = ExternalTool.require("prometheus", "prometheus");
        Path tokens = dir.resolve("tokens.json");
        String agent = TokenAuthorizationMatrixTest.issue(tokens, "services", Optional.empty(), "agent");
        String reader = TokenAuthorizationMatrixTest.issue(tokens, "monitoring", Optional.empty(), "metrics_reader");
        try (RunningServer server = RunningServer.start(Backend.H2,
                TokenAuthorizationMatrixTest.tokenAuth(tokens, 1000))) {
            String base = "http://127.0.0.1:" + server.port();
            String label = UUID.randomUUID().toString();
            String project = UUID.randomUUID().toString().replace("-", "");
            String report = """
                    {"usage_report": {"id": "%s", "host": "net-1", "window_start": "2026-12-03T00:00:00Z",
                     "window_end": "2026-12-03T00:05:00Z", "usage": [
                      {"router_id": "%s", "label_id": "%s", "project_id": "%s", "pkts": 12, "bytes": 3400,
                       "first_update": 1796256000, "last_update": 1796256300},
                      {"router_id": "%s", "label_id": "%s", "project_id": "%s", "pkts": 1, "bytes": 600,
                       "first_update": 1796256000, "last_update": 1796256300}]}}"""
                    .formatted(UUID.randomUUID(), UUID.randomUUID(), label, project, UUID.randomUUID(), label, project);
            HttpResponse<String> stored = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/v2.0/metering/usage_reports"))
                    .header("X-Auth-Token", agent).POST(HttpRequest.BodyPublishers.ofString(report)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);

            Path credentials = dir.resolve("netmeter-token");
            Files.writeString(credentials, reader);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: netmeter
                        authorization: {type: Bearer, credentials_file: %s}
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                      - job_name: netmeter-wrong-token
                        authorization: {type: Bearer, credentials: nmt_0000000000000000_wrong}
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(credentials, server.port(), server.port()));
            int port = LauncherIT.freePort();
            Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:%d/api/v1/query?query=".formatted(port);
                String series = "netmeter_label_bytes_total{label_id=\"%s\",project_id=\"%s\"}"
                        .formatted(label, project);
                assertThat(eventually(api, series)).isEqualTo("4000");
                assertThat(eventually(api, "netmeter_label_packets_total{label_id=\"%s\"}".formatted(label)))
                        .isEqualTo("13");
                assertThat(eventually(api, "netmeter_project_bytes_total{project_id=\"%s\"}".formatted(project)))
                        .isEqualTo("4000");
                assertThat(eventually(api, "up{job=\"netmeter\"}")).isEqualTo("1");
                assertThat(eventually(api, "up{job=\"netmeter-wrong-token\"}")).as("the wrong token is refused")
                        .isEqualTo("0");
            } finally {
                process.destroy();
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** The value of the one series {@code query} selects, once Prometheus has one (up to 60 s). */
    private static String eventually(String api, String query) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(api
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = answer.body();
                JsonNode result = ApiClient.JSON.readTree(last).path("data").path("result");
                if (result.size() == 1) {
                    return result.get(0).path("value").get(1).asText();
                }
            } catch (IOException e) {
                last = e.toString();    // Prometheus not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus has no single series for %s within 60 s; last answer: %s".formatted(query,
                last));
    }
}
