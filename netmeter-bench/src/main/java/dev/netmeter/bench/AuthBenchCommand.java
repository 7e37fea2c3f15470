package dev.netmeter.bench;

import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.api.identity.KeystoneTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench auth}: what authentication costs. The same {@code GET} of one label, with the same
 * clients for the same time, against a noauth server (the baseline: the request as the OpenStack client
 * sends it in noauth mode, {@code X-Auth-Token: notused}), a server with static tokens, and (given
 * {@code --keystone-url}) a server that validates Keystone tokens, whose cache must answer all but the
 * first request. Each server is started fresh from the server's jar, one at a time, round after round.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Measure authenticated GETs (static token, cached Keystone token) against noauth.")
final class AuthBenchCommand implements Callable<Integer> {
    /** What the server logs once per validation Keystone answers (KeystoneTokenValidator). */
    private static final String KEYSTONE_VALIDATED = "Keystone validated a token";
    private static final String LABELS = "/v2.0/metering/metering-labels";

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients (default 8).")
    private int clients;

    @Option(names = "--seconds", defaultValue = "8", description = "Measured seconds per server (default 8).")
    private int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "6", description = "Warm-up per server (default 6).")
    private int warmupSeconds;

    @Option(names = "--keystone-url", description = "A Keystone v3 endpoint to measure the keystone strategy with.")
    private String keystoneUrl;

    @Option(names = "--keystone-user", defaultValue = "admin", description = "Keystone user with the admin role.")
    private String keystoneUser;

    @Option(names = "--keystone-password", defaultValue = "", description = "Its password.")
    private String keystonePassword;

    @Option(names = "--keystone-project", defaultValue = "admin", description = "Its project (default admin).")
    private String keystoneProject;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds over all servers (default 5).")
    private int rounds;

    /** One way of authenticating that the benchmark measures. */
    private record Mode(String name, String auth, Map<String, String> environment, TokenSource tokens) {
    }

    @Override
    public Integer call() throws Exception {
        BenchCommand.report("clients, warm-up, measured",
                "%d, %d s, %d s per server, %d rounds".formatted(clients, warmupSeconds,
                seconds, rounds));
        // A first server writes the class-data archive, warms the page cache and this client's JIT: no
        // round may pay for that, least of all the baseline, which goes first.
        try (SpawnedServer first = SpawnedServer.start(BenchCommand.freePort())) {
            BenchClient client = new BenchClient(first.url());
            String label = client.create(LABELS, "{\"metering_label\": {\"name\": \"warm-up\"}}")
                    .path("metering_label").path("id").asText();
            run(client, LABELS + "/" + label, 2 * warmupSeconds);
        }
        // The baseline is the same request in noauth mode as the OpenStack client sends it there, with
        // "X-Auth-Token: notused" (openstack-cli-requests.md): a header costs Jetty some 7% whoever reads it.
        // The same without any header is measured too, and reported beside it.
        List<Mode> modes = new ArrayList<>(List.of(
                new Mode("noauth (baseline)", "noauth", Map.of(), server -> Optional.of("notused")),
                new Mode("noauth, no X-Auth-Token header", "noauth", Map.of(), server -> Optional.empty()),
                new Mode("static token", "token", Map.of(),
                        server -> Optional.of(Files.readString(server.dataDir().resolve("admin-token")).strip()))));
        if (keystoneUrl != null) {
            String userToken = keystoneToken();
            modes.add(new Mode("cached Keystone token", "keystone", Map.of(
                    "NETMETER_KEYSTONE_AUTH_URL", keystoneUrl,
                    "NETMETER_KEYSTONE_USERNAME", keystoneUser,
                    "NETMETER_KEYSTONE_PASSWORD", keystonePassword,
                    "NETMETER_KEYSTONE_PROJECT_NAME", keystoneProject), server -> Optional.of(userToken)));
        }
        Map<String, List<Figures>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Mode mode : modes) {
                results.computeIfAbsent(mode.name(), name -> new ArrayList<>())
                        .add(measure("round %d: %s".formatted(round, mode.name()), mode));
            }
        }
        List<Figures> baseline = results.get(modes.getFirst().name());
        for (Mode mode : modes.subList(1, modes.size())) {
            List<Figures> figures = results.get(mode.name());
            // Each round is a fresh server JVM with its own JIT outcome: the median ratio is the figure, the
            // best-round ratio a check on it.
            BenchCommand.report("%s / noauth, median req/s".formatted(mode.name()), "%.3f (%.0f / %.0f)".formatted(
                    median(figures, Figures::perSecond) / median(baseline, Figures::perSecond),
                    median(figures, Figures::perSecond), median(baseline, Figures::perSecond)));
            BenchCommand.report("%s / noauth, best req/s".formatted(mode.name()), "%.3f (%.0f / %.0f)".formatted(
                    best(figures) / best(baseline), best(figures), best(baseline)));
            BenchCommand.report("%s, server CPU per request".formatted(mode.name()),
                    "%.0f us vs %.0f us noauth (median)".formatted(median(figures, Figures::cpuMicrosPerRequest),
                            median(baseline, Figures::cpuMicrosPerRequest)));
        }
        if (keystoneUrl == null) {
            BenchCommand.report("cached Keystone token", "not measured (give --keystone-url and --keystone-password)");
        }
        return 0;
    }

    /** Which token a client of {@code server} sends, if any. */
    private interface TokenSource {
        Optional<String> tokenFor(SpawnedServer server) throws IOException;
    }

    /** One measured run: throughput, and the server's CPU time per request. */
    private record Figures(double perSecond, double cpuMicrosPerRequest) {
    }

    private Figures measure(String name, Mode mode) throws Exception {
        try (SpawnedServer server = SpawnedServer.start(BenchCommand.freePort(), mode.auth(), mode.environment())) {
            BenchClient client = new BenchClient(server.url(), mode.tokens().tokenFor(server));
            String label = client.create(LABELS, "{\"metering_label\": {\"name\": \"bench\"}}")
                    .path("metering_label").path("id").asText();
            String path = LABELS + "/" + label;
            run(client, path, warmupSeconds);
            long cpuBefore = server.cpuNanos();
            long requests = run(client, path, seconds);
            Figures figures = new Figures(requests / (double) seconds,
                    (server.cpuNanos() - cpuBefore) / 1000.0 / requests);
            String validations = "";
            if (mode.auth().equals("keystone")) {
                validations = ", Keystone validations: %d".formatted(Files.readAllLines(
                        server.dataDir().resolve("server.log")).stream()
                                .filter(line -> line.contains(KEYSTONE_VALIDATED))
                        .count());
            }
            BenchCommand.report(name, "%.0f req/s, %.0f us server CPU/request%s".formatted(figures.perSecond(),
                    figures.cpuMicrosPerRequest(), validations));
            return figures;
        }
    }

    private static double best(List<Figures> figures) {
        return figures.stream().mapToDouble(Figures::perSecond).max().orElseThrow();
    }

    private static double median(List<Figures> figures, ToDoubleFunction<Figures> value) {
        double[] sorted = figures.stream().mapToDouble(value).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private long run(BenchClient client, String path, int forSeconds) throws Exception {
        LongAdder done = new LongAdder();
        long deadline = System.nanoTime() + forSeconds * 1_000_000_000L;
        BenchCommand.runClients(clients, () -> {
            while (System.nanoTime() < deadline) {
                client.get(path);
                done.increment();
            }
            return null;
        });
        return done.sum();
    }

    private String keystoneToken() throws IOException, InterruptedException {
        KeystoneSettings login = new KeystoneSettings(URI.create(keystoneUrl), keystoneUser,
                keystonePassword, "Default", keystoneProject, "Default",
                URI.create(keystoneUrl), Duration.ofSeconds(10));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(login.url() + "/auth/tokens?nocatalog")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KeystoneTokenValidator.passwordAuthentication(login)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IOException("Keystone answered %d to the benchmark's login".formatted(response.statusCode()));
        }
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }
}
