package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.freePort;
import static dev.netmeter.bench.BenchCommand.report;

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
        description = "Measure many agents long-polling at once: server memory while they wait, time for a change to "
                + "reach all.")
public final class LongPollBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--agents", defaultValue = "5000", description = "Agents waiting at once (default 5000).")
    private int agents;

    @Option(names = "--rounds", defaultValue = "3", description = "Changes to wake them with, one after another "
            + "on the same server (default 3; the first meets a server that has not answered a wake-up yet).")
    private int rounds;

    @Override
    public Integer call() throws Exception {
        try (SpawnedServer server = SpawnedServer.start(freePort());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(30)).build()) {
            BenchClient admin = new BenchClient(server.url());
            report("agents", Integer.toString(agents));
            report("server resident memory, idle", "%d MB".formatted(server.residentMegabytes()));
            String label = admin.create("/v2.0/metering/metering-labels",
                    "{\"metering_label\": {\"name\": \"everyone\", \"shared\": true}}").path("metering_label")
                            .path("id").asText();
            createRouters(admin);
            long[] revisions = readRevisions(http, server.url());

            boolean allChanged = true;
            for (int round = 1; round <= rounds; round++) {
                allChanged &= wakeUp(server, admin, label, revisions, round);
                revisions = readRevisions(http, server.url());
            }
            return allChanged ? 0 : 1;
        }
    }

    /**
     * One round: every agent waits from its current revision; one rule is added to the shared label; every
     * agent must get data with that rule. Returns whether all did.
     */
    private boolean wakeUp(SpawnedServer server, BenchClient admin, String label, long[] revisions, int round)
            throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            targets.add("/v2.0/metering/sync?host=%s&since=%d&timeout=120".formatted(host(i), revisions[i]));
        }
        String prefix = "198.51.100.%d/32".formatted(round);
        try (WaitingAgents waiting = new WaitingAgents(URI.create(server.url()), targets)) {
            Thread.sleep(5000);     // every poll parked on the server
            report("round %d: polls answered before the change".formatted(round), "%d (must be 0)".formatted(
                    waiting.answered()));
            report("  server resident memory, all agents waiting", "%d MB".formatted(server.residentMegabytes()));
            long serverCpuBefore = server.cpuNanos();
            long clientCpuBefore = clientCpuNanos();
            long start = System.nanoTime();
            admin.create("/v2.0/metering/metering-label-rules", ("{\"metering_label_rule\": {\"metering_label_id\":"
                    + " \"%s\", \"direction\": \"ingress\", \"remote_ip_prefix\": \"%s\"}}").formatted(label, prefix));
            long[] answeredAt = waiting.awaitAll(150_000);
            long serverCpu = server.cpuNanos() - serverCpuBefore;
            long clientCpu = clientCpuNanos() - clientCpuBefore;
            long changed = waiting.count(body -> body.contains(prefix));
            long[] millis = Arrays.stream(answeredAt).map(at -> at == 0 ? Long.MAX_VALUE : (at - start) / 1_000_000)
                    .sorted().toArray();
            report("  agents that got the new rule", "%d of %d".formatted(changed, agents));
            report("  change to agent: median / p99 / last", "%d ms / %d ms / %d ms".formatted(millis[agents / 2],
                    millis[(int) (agents * 0.99)], millis[agents - 1]));
            report("  CPU from the change to the last answer", "server %d ms, the agents (this process) %d ms"
                    .formatted(serverCpu / 1_000_000, clientCpu / 1_000_000));
            report("  server resident memory after it", "%d MB (peak so far %d MB)".formatted(
                    server.residentMegabytes(), server.peakResidentMegabytes()));
            return changed == agents;
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

    private static long clientCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    private static String host(int agent) {
        return "bench-agent-" + agent;
    }
}
