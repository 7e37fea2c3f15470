package dev.netmeter.server.bench;

import static dev.netmeter.server.bench.BenchCommand.freePort;
import static dev.netmeter.server.bench.BenchCommand.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench longpoll}: thousands of agents waiting at once on a server process started as
 * {@code ./netmeter server} starts it. Each agent has a host with one router; all read their sync data,
 * then long-poll. The server's resident memory is read while they wait; then one rule is added to a
 * shared label, which changes every host's data, and the time until each agent has its new data is taken
 * from just before that request.
 */
@Command(name = "longpoll", mixinStandardHelpOptions = true,
        description = "Measure many agents long-polling at once: server memory while they wait, time for a change to reach all.")
public final class LongPollBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--agents", defaultValue = "5000", description = "Agents waiting at once (default 5000).")
    private int agents;

    @Override
    public Integer call() throws Exception {
        try (SpawnedServer server = SpawnedServer.start(freePort());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(30)).build()) {
            BenchClient admin = new BenchClient(server.url());
            report("agents", Integer.toString(agents));
            report("server resident memory, idle", "%d MB".formatted(server.residentMegabytes()));
            String label = admin.create("/v2.0/metering/metering-labels",
                    "{\"metering_label\": {\"name\": \"everyone\", \"shared\": true}}").path("metering_label").path("id").asText();
            createRouters(admin);
            long[] revisions = readRevisions(http, server.url());

            List<CompletableFuture<Long>> answeredAt = new ArrayList<>();
            AtomicInteger changed = new AtomicInteger();
            for (int i = 0; i < agents; i++) {
                HttpRequest poll = HttpRequest.newBuilder(URI.create(server.url()
                        + "/v2.0/metering/sync?host=%s&since=%d&timeout=120".formatted(host(i), revisions[i])))
                        .header("X-Roles", "agent").timeout(Duration.ofSeconds(180)).build();
                answeredAt.add(http.sendAsync(poll, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                    long now = System.nanoTime();
                    if (response.statusCode() == 200 && new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("198.51.100.0/24")) {
                        changed.incrementAndGet();
                    }
                    return now;
                }));
            }
            Thread.sleep(5000);     // every poll sent and parked on the server
            long early = answeredAt.stream().filter(CompletableFuture::isDone).count();
            report("polls answered before the change (must be 0)", Long.toString(early));
            report("server resident memory, all agents waiting", "%d MB".formatted(server.residentMegabytes()));

            long start = System.nanoTime();
            admin.create("/v2.0/metering/metering-label-rules", ("{\"metering_label_rule\": {\"metering_label_id\": \"%s\","
                    + " \"direction\": \"ingress\", \"remote_ip_prefix\": \"198.51.100.0/24\"}}").formatted(label));
            long[] millis = new long[agents];
            for (int i = 0; i < agents; i++) {
                millis[i] = (answeredAt.get(i).get(150, TimeUnit.SECONDS) - start) / 1_000_000;
            }
            Arrays.sort(millis);
            report("agents that got the new rule", "%d of %d".formatted(changed.get(), agents));
            report("change to agent: median / p99 / last", "%d ms / %d ms / %d ms".formatted(millis[agents / 2],
                    millis[(int) (agents * 0.99)], millis[agents - 1]));
            report("server resident memory, after the wake-up", "%d MB (peak %d MB)".formatted(server.residentMegabytes(),
                    server.peakResidentMegabytes()));
            return changed.get() == agents && early == 0 ? 0 : 1;
        }
    }

    private void createRouters(BenchClient admin) throws Exception {
        for (int from = 0; from < agents; from += 500) {
            StringBuilder body = new StringBuilder("{\"routers\": [");
            for (int i = from; i < Math.min(agents, from + 500); i++) {
                body.append(i == from ? "" : ",").append("{\"host\": \"%s\", \"external_interface\": \"qg-bench\"}"
                        .formatted(host(i)));
            }
            admin.create("/v2.0/metering/routers", body.append("]}").toString());
        }
    }

    /** Each agent's first, full read (as an agent does at start), 200 at a time. */
    private long[] readRevisions(HttpClient http, String url) throws Exception {
        long[] revisions = new long[agents];
        for (int from = 0; from < agents; from += 200) {
            List<CompletableFuture<Void>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(agents, from + 200); i++) {
                int agent = i;
                HttpRequest read = HttpRequest.newBuilder(URI.create(url + "/v2.0/metering/sync?host=" + host(i)))
                        .header("X-Roles", "agent").build();
                batch.add(http.sendAsync(read, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response -> {
                    try {
                        JsonNode sync = JSON.readTree(response.body()).path("sync");
                        revisions[agent] = sync.path("revision").asLong();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        return revisions;
    }

    private static String host(int agent) {
        return "bench-agent-" + agent;
    }
}
