package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives a crash: the server (embedded H2, as an operator starts it) is killed with
 * SIGKILL the moment it answered a write with a 2xx, started again on the same data directory, and the write
 * must be there. Each kind of write (usage report, label, rule, router, token) is killed after {@value #KILLS}
 * times: a write made durable lazily (H2's default write delay is 500 ms) is lost most of those times. A usage
 * report sent again after the restart must be answered as already stored (200), not stored again (201): the
 * agent dropped it at the first answer. A token is written by {@code netmeter token create}, not by the server:
 * the server killed after that command's answer must, started again, take the token.
 */
@Timeout(900)
class CrashDurabilityIT {
    private static final int KILLS = 10;
    private static final String PROJECT = "crash-project";
    private static final String HOST = "crash-net-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The server starts 51 times and the token command 10: with the JIT's first tier only, a start takes about
     * a third less time (4 s instead of 6.5 s on a busy 2-core machine), and how code is compiled has nothing to
     * do with what reaches the disk.
     */
    private static final Map<String, String> QUICK_START = Map.of("NETMETER_JAVA_OPTS", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Path data;
    private int port;
    private int starts;
    private String admin;

    /** One kind of acknowledged write: makes one, and returns what finds it after the restart. */
    private interface Write {
        Lookup make(int round) throws Exception;
    }

    /** Whether the write is there, or a description of what was found instead. */
    private interface Lookup {
        Optional<String> missing() throws Exception;
    }

    @Test
    void every_kind_of_acknowledged_write_is_found_after_a_sigkill_right_after_its_answer() throws Exception {
        data = dir.resolve("data");
        port = LauncherIT.freePort();
        LaunchedServer server = start();
        admin = Files.readString(data.resolve(FirstAdminToken.FILE_NAME)).strip();
        String label = id(call("POST", "/v2.0/metering/metering-labels", admin, """
                {"metering_label": {"name": "for rules", "tenant_id": "%s"}}""".formatted(PROJECT)), 201,
                "metering_label");
        server.stop();      // a clean stop: the label for rules is there whatever the rest finds
        server = start();
        assertThat(server.process().info().command()).as("SIGKILL reaches the JVM, not a wrapper")
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName()).hasToString("java"));

        Map<String, Write> writes = new LinkedHashMap<>();
        writes.put("usage report", this::usageReport);
        writes.put("label", round -> resource("metering-labels", "metering_label",
                "{\"name\": \"crash-%d\", \"tenant_id\": \"%s\"}".formatted(round, PROJECT)));
        writes.put("rule", round -> resource("metering-label-rules", "metering_label_rule",
                "{\"metering_label_id\": \"%s\", \"direction\": \"ingress\", \"remote_ip_prefix\": \"10.9.%d.0/24\"}"
                        .formatted(label, round)));
        writes.put("router", round -> resource("routers", "router",
                "{\"host\": \"%s\", \"external_interface\": \"eth0\", \"tenant_id\": \"%s\"}"
                        .formatted(HOST, PROJECT)));
        writes.put("token", this::token);

        Map<String, List<String>> lost = new LinkedHashMap<>();
        writes.keySet().forEach(kind -> lost.put(kind, new ArrayList<>()));
        for (int round = 0; round < KILLS; round++) {
            for (Map.Entry<String, Write> write : writes.entrySet()) {
                Lookup lookup = write.getValue().make(round);
                server.kill();
                server = start();
                lookup.missing().ifPresent(lost.get(write.getKey())::add);
            }
        }
        server.stop();

        StringBuilder summary = new StringBuilder("writes lost after SIGKILL right after their 2xx:");
        lost.forEach((kind, losses) -> summary.append(" %s %d/%d;".formatted(kind, losses.size(), KILLS)));
        System.out.println(summary);
        Map<String, String> firsts = new LinkedHashMap<>();
        lost.forEach((kind, losses) -> losses.stream().findFirst().ifPresent(first -> firsts.put(kind, first)));
        assertThat(firsts).as("%s the first loss of each kind:", summary).isEmpty();
    }

    private LaunchedServer start() throws IOException, InterruptedException {
        starts++;
        return LaunchedServer.start(port, data, QUICK_START, dir.resolve("server-" + starts + ".log"), null);
    }

    /** Creates one resource; the lookup shows it. */
    private Lookup resource(String collection, String member, String item) throws Exception {
        String path = "/v2.0/metering/" + collection;
        String id = id(call("POST", path, admin, "{\"%s\": %s}".formatted(member, item)), 201, member);
        return () -> {
            HttpResponse<String> shown = call("GET", path + "/" + id, admin, null);
            return shown.statusCode() == 200 ? Optional.empty()
                    : Optional.of("%s %s: %d %s".formatted(member, id, shown.statusCode(), shown.body()));
        };
    }

    /** Stores a new report (201); the lookup sends it again, which must be answered as a resend (200). */
    private Lookup usageReport(int round) throws Exception {
        Instant end = Instant.now();
        long seconds = end.getEpochSecond();
        String body = """
                {"usage_report": {"id": "%s", "host": "%s", "window_start": "%s", "window_end": "%s", "usage": [
                  {"router_id": "%s", "label_id": "%s", "project_id": "%s", "pkts": %d, "bytes": %d,
                   "first_update": %d, "last_update": %d}]}}""".formatted(UUID.randomUUID(), HOST,
                end.minusSeconds(30), end, UUID.randomUUID(), UUID.randomUUID(), PROJECT, round + 1, 100 * (round + 1),
                seconds - 30, seconds);
        assertThat(call("POST", "/v2.0/metering/usage_reports", admin, body).statusCode()).isEqualTo(201);
        return () -> {
            HttpResponse<String> resent = call("POST", "/v2.0/metering/usage_reports", admin, body);
            return resent.statusCode() == 200 ? Optional.empty()
                    : Optional.of("report resent: %d %s".formatted(resent.statusCode(), resent.body()));
        };
    }

    /** Issues a token with {@code netmeter token create}; the lookup lists labels with it. */
    private Lookup token(int round) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LaunchedServer.LAUNCHER.toString(), "token", "create",
                "--data-dir", data.toString(), "--project", PROJECT, "--user", "crash-" + round, "--role", "reader")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(QUICK_START);
        Process command = builder.start();
        String token = new String(command.getInputStream().readAllBytes()).strip();
        assertThat(command.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(command.exitValue()).as("token create").isZero();
        return () -> {
            HttpResponse<String> listed = call("GET", "/v2.0/metering/metering-labels", token, null);
            return listed.statusCode() == 200 ? Optional.empty()
                    : Optional.of("token %s: %d %s".formatted(token.substring(4, 20), listed.statusCode(),
                    listed.body()));
        };
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> response, int status, String member) throws IOException {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(status);
        JsonNode id = JSON.readTree(response.body()).path(member).path("id");
        assertThat(id.isTextual()).as("%s", response.body()).isTrue();
        return id.asText();
    }
}
