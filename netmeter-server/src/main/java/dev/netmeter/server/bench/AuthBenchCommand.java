package dev.netmeter.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench auth}: what authentication costs. The same authenticated {@code GET} of one label,
 * with the same clients for the same time, against a noauth server (the baseline), a server with static
 * tokens, and (given {@code --keystone-url}) a server that validates Keystone tokens, whose cache must
 * answer all but the first request. Each server is started fresh from this jar, one at a time.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Measure authenticated GETs (static token, cached Keystone token) against noauth.")
final class AuthBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the server logs once per validation Keystone answers (KeystoneTokenValidator). */
    private static final String KEYSTONE_VALIDATED = "Keystone validated a token";

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients (default 8).")
    private int clients;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per server (default 10).")
    private int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Warm-up per server (default 5).")
    private int warmupSeconds;

    @Option(names = "--keystone-url", description = "A Keystone v3 endpoint to measure the keystone strategy with.")
    private String keystoneUrl;

    @Option(names = "--keystone-user", defaultValue = "admin", description = "Keystone user with the admin role.")
    private String keystoneUser;

    @Option(names = "--keystone-password", description = "Its password.")
    private String keystonePassword;

    @Option(names = "--keystone-project", defaultValue = "admin", description = "Its project (default admin).")
    private String keystoneProject;

    @Override
    public Integer call() throws Exception {
        report("clients, warm-up, measured", "%d, %d s, %d s per server".formatted(clients, warmupSeconds, seconds));
        double baseline = measure("noauth (baseline)", "noauth", Map.of(), server -> Optional.empty());
        double token = measure("static token", "token", Map.of(),
                server -> Optional.of(Files.readString(server.dataDir().resolve("admin-token")).strip()));
        report("ratio static token / noauth", "%.3f".formatted(token / baseline));
        if (keystoneUrl != null) {
            Map<String, String> environment = Map.of(
                    "NETMETER_KEYSTONE_AUTH_URL", keystoneUrl,
                    "NETMETER_KEYSTONE_USERNAME", keystoneUser,
                    "NETMETER_KEYSTONE_PASSWORD", keystonePassword == null ? "" : keystonePassword,
                    "NETMETER_KEYSTONE_PROJECT_NAME", keystoneProject);
            String userToken = keystoneToken();
            double keystone = measure("cached Keystone token", "keystone", environment,
                    server -> Optional.of(userToken));
            report("ratio cached Keystone token / noauth", "%.3f".formatted(keystone / baseline));
        } else {
            report("cached Keystone token", "not measured (give --keystone-url and --keystone-password)");
        }
        return 0;
    }

    /** Which token a client of {@code server} sends, if any. */
    private interface TokenSource {
        Optional<String> tokenFor(SpawnedServer server) throws IOException;
    }

    private double measure(String name, String auth, Map<String, String> environment, TokenSource tokens)
            throws Exception {
        try (SpawnedServer server = SpawnedServer.start(freePort(), auth, environment)) {
            BenchClient client = new BenchClient(server.url(), tokens.tokenFor(server));
            String label = client.create("/v2.0/metering/metering-labels", "{\"metering_label\": {\"name\": \"bench\"}}")
                    .path("metering_label").path("id").asText();
            String path = "/v2.0/metering/metering-labels/" + label;
            run(client, path, warmupSeconds);
            double perSecond = run(client, path, seconds) / (double) seconds;
            report(name, "%.0f req/s".formatted(perSecond));
            if (auth.equals("keystone")) {
                long validations = Files.readAllLines(server.dataDir().resolve("server.log")).stream()
                        .filter(line -> line.contains(KEYSTONE_VALIDATED)).count();
                report("  Keystone validations for all those requests", Long.toString(validations));
            }
            return perSecond;
        }
    }

    private long run(BenchClient client, String path, int forSeconds) throws Exception {
        LongAdder done = new LongAdder();
        long deadline = System.nanoTime() + forSeconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        client.get(path);
                        done.increment();
                    }
                    return null;
                }));
            }
            for (Future<Void> result : results) {
                result.get();
            }
        }
        return done.sum();
    }

    private String keystoneToken() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", keystoneUser).put("password", keystonePassword == null ? "" : keystonePassword);
        user.putObject("domain").put("name", "Default");
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", keystoneProject);
        project.putObject("domain").put("name", "Default");
        String base = keystoneUrl.replaceAll("/+$", "");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create((base.endsWith("/v3") ? base : base + "/v3") + "/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("Keystone answered %d to the benchmark's login".formatted(response.statusCode()));
        }
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void report(String what, String figure) {
        System.out.printf(Locale.ROOT, "%-52s %s%n", what, figure);
    }
}
