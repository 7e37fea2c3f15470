package dev.netmeter.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Neutron 21 (Debian's python3-neutron), started on a free loopback port by
 * {@code scripts/neutron-test-server.sh} in noauth mode with a private sqlite database, and driven through its
 * API v2.0 as its noauth admin (no identity headers). No agent can register with it (no RPC). Not thread-safe.
 */
final class RealNeutron implements AutoCloseable {
    private static final Path SCRIPT = Path.of("..", "scripts", "neutron-test-server.sh").toAbsolutePath().normalize();

    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RealNeutron(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Starts one (about 20 s).
     *
     * @throws org.opentest4j.TestAbortedException if Neutron is not installed (outside CI)
     */
    static RealNeutron start() throws IOException, InterruptedException {
        ExternalTool.require("neutron-server", "neutron-common python3-neutron");
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "start")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("NEUTRON_PORT", Integer.toString(LauncherIT.freePort()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("Neutron did not start: " + output);
        }
        Map<String, String> environment = new HashMap<>();
        output.lines().filter(line -> line.startsWith("export ")).forEach(line -> {
            String assignment = line.substring("export ".length());
            int equals = assignment.indexOf('=');
            environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        });
        return new RealNeutron(environment);
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:39123}. */
    URI url() {
        return URI.create(environment.get("NEUTRON_URL"));
    }

    /** Sends {@code body} (JSON, or null), expects {@code expected}, returns the answer's JSON (null if empty). */
    JsonNode send(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("Neutron answered %s %s with %d: %s".formatted(method, path,
                    response.statusCode(), response.body()));
        }
        return response.body().isEmpty() ? null : ApiClient.JSON.readTree(response.body());
    }

    @Override
    public void close() throws IOException {
        Process stop = new ProcessBuilder(SCRIPT.toString(), "stop", environment.get("NEUTRON_DIR")).inheritIO()
                .start();
        try {
            stop.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            stop.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
