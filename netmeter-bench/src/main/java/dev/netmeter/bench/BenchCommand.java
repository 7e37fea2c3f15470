package dev.netmeter.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench}: the API server's load figures, measured over HTTP with keep-alive. Without
 * {@code --url} it starts a server of its own (the server's jar, embedded database in a fresh directory), which
 * also gives start-up time and resident memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {AuthBenchCommand.class, SyncBenchCommand.class, LongPollBenchCommand.class,
        NftBenchCommand.class, ForwardingBenchCommand.class, NeutronBenchCommand.class, UsageBenchCommand.class,
        NotificationBenchCommand.class, LedgerBenchCommand.class, StatementBenchCommand.class},
        description = "Measure the API server: rule and label creates, listing, start-up time, memory "
                + "('bench auth': the cost of authentication; 'bench sync': an agent host's sync data; "
                + "'bench longpoll': thousands of waiting agents; 'bench nft': one router's nftables ruleset; "
                + "'bench forwarding': forwarding rate with rules; 'bench neutron': one poll of 5,000 Neutron routers; "
                + "'bench usage': usage ingest and /metrics at fleet scale; "
                + "'bench notifications': l3.meter notifications to RabbitMQ; "
                + "'bench ledger': the agent's usage ledger at 100,000 counters; "
                + "'bench statements': a month's statement of a project with 100 labels).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--url", description = "A running server (noauth) to measure; default: start one.")
    private String url;

    @Option(names = "--rules", defaultValue = "10000", description = "Rules to create in one label (default 10000).")
    private int rules;

    @Option(names = "--labels", defaultValue = "3000", description = "Labels to create per client count.")
    private int labels;

    @Override
    public Integer call() throws Exception {
        if (url == null) {
            // A first start writes the class-data archive and warms the page cache; operators restart often.
            SpawnedServer.start(freePort()).close();
        }
        SpawnedServer spawned = url == null ? SpawnedServer.start(freePort()) : null;
        String base = spawned == null ? url : spawned.url();
        BenchClient client = new BenchClient(base);
        try {
            report("server", base);
            if (spawned != null) {
                report("start to first answer (command to 200 on GET /)", "%d ms".formatted(spawned.startMillis()));
            }
            warmUp(client);
            for (int clients : new int[] {1, 8}) {
                Timed labelRun = createLabels(client, clients, labels);
                report("label creates, %d client(s)".formatted(clients), "%.0f req/s (%d in %.2f s)".formatted(
                        labelRun.perSecond(), labels, labelRun.seconds()));
            }
            for (int clients : new int[] {8, 1}) {
                RuleRun run = createRules(client, clients, rules);
                report("rule creates in one label, %d client(s)".formatted(clients), "%.0f rules/s (%d in %.2f s)"
                        .formatted(run.timed().perSecond(), rules, run.timed().seconds()));
                report("  mean latency first/last 1000", "%.2f ms / %.2f ms, ratio last/first = %.2f".formatted(
                        run.firstMeanMillis(), run.lastMeanMillis(), run.lastMeanMillis() / run.firstMeanMillis()));
                if (clients == 8) {
                    listRules(client, run.labelId());
                }
            }
            if (spawned != null) {
                report("resident memory after the benchmark", "%d MB".formatted(spawned.residentMegabytes()));
            }
            return 0;
        } finally {
            if (spawned != null) {
                spawned.close();
            }
        }
    }

    private static void warmUp(BenchClient client) throws Exception {
        createLabels(client, 4, 500);
        createRules(client, 4, 2000);
    }

    private static Timed createLabels(BenchClient client, int clients, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        runClients(clients, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                client.create("/v2.0/metering/metering-labels",
                        "{\"metering_label\": {\"name\": \"bench-%d\", \"description\": \"bench\"}}".formatted(i));
            }
            return null;
        });
        return new Timed(count, System.nanoTime() - start);
    }

    /** Creates {@code count} disjoint /32 rules in a new label; latencies are kept by creation order. */
    private static RuleRun createRules(BenchClient client, int clients, int count) throws Exception {
        String label = client.create("/v2.0/metering/metering-labels", "{\"metering_label\": {\"name\": \"rules\"}}")
                .path("metering_label").path("id").asText();
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        runClients(clients, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                String prefix = "10.%d.%d.%d/32".formatted(i >> 16 & 255, i >> 8 & 255, i & 255);
                long sent = System.nanoTime();
                client.create("/v2.0/metering/metering-label-rules",
                        ("{\"metering_label_rule\": {\"metering_label_id\":"
                        + " \"%s\", \"direction\": \"ingress\", \"remote_ip_prefix\": \"%s\"}}")
                        .formatted(label, prefix));
                latencies[i] = System.nanoTime() - sent;
            }
            return null;
        });
        Timed timed = new Timed(count, System.nanoTime() - start);
        int window = Math.min(1000, count / 2);
        return new RuleRun(label, timed, mean(latencies, 0, window), mean(latencies, count - window, count));
    }

    private static void listRules(BenchClient client, String label) throws Exception {
        long[] millis = new long[5];
        long bytes = 0;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            bytes = client.get("/v2.0/metering/metering-label-rules?metering_label_id=" + label);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        report("list all rules of the label (to the last byte)", "median %d ms, best %d ms, %d bytes".formatted(
                millis[millis.length / 2], millis[0], bytes));
    }

    /** Runs {@code work} on {@code clients} threads at once and waits for all of them. */
    static void runClients(int clients, Callable<Void> work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(work));
            }
            for (Future<Void> result : results) {
                result.get();
            }
        }
    }

    private static double mean(long[] nanos, int from, int to) {
        return Arrays.stream(nanos, from, to).average().orElse(0) / 1e6;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Median, 90th percentile and best of {@code nanos} (in any order), in milliseconds. */
    static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return "median %.1f ms, p90 %.1f ms, best %.1f ms (%d runs)".formatted(median(nanos) / 1e6,
                sorted[sorted.length * 9 / 10] / 1e6, sorted[0] / 1e6, sorted.length);
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static void report(String what, String figure) {
        System.out.printf(Locale.ROOT, "%-52s %s%n", what, figure);
    }

    private record Timed(int count, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        double perSecond() {
            return count / seconds();
        }
    }

    private record RuleRun(String labelId, Timed timed, double firstMeanMillis, double lastMeanMillis) {
    }
}
