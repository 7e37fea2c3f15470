package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.Logging;
import dev.netmeter.server.NetmeterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench statements}: a month's statement of one project, over usage stored as agents send it:
 * one router counting every label of the project, one report per window, a month of windows (November 2026,
 * 8,640 five-minute samples). Prints the time to store the month and the time of the statement, in JSON and
 * in CSV, against an in-process server on the embedded database or {@code --database-url}.
 */
@Command(name = "statements", mixinStandardHelpOptions = true,
        description = "Measure a month's statement of a project with many labels (issue 17's target: under 500 ms).")
public final class StatementBenchCommand implements Callable<Integer> {
    private static final String PROJECT = "bench-project";
    private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");
    private static final int RUNS = 5;

    @Option(names = "--database-url",
            description = "An empty database to fill (default: embedded, in a temporary directory).")
    private String databaseUrl;

    @Option(names = "--labels", defaultValue = "100", description = "Labels of the project (default 100).")
    private int labels;

    @Option(names = "--window-minutes", defaultValue = "5",
            description = "Length of each report's window (default 5: a row per label and sample).")
    private int windowMinutes;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "WARN");
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-statements");
        Path dataDir = scratch.path();
        String url = databaseUrl != null ? databaseUrl : scratch.embeddedDatabaseUrl();
        try (NetmeterServer server = NetmeterServer.start(UsageBenchCommand.config(dataDir,
                new DatabaseSettings(url, "", "", 16, Duration.ofSeconds(10)), false))) {
            BenchClient client = new BenchClient("http://127.0.0.1:" + server.port());
            report("database", url.substring(0, url.indexOf(':', 5)));
            String[] labelIds = Stream.generate(() -> UUID.randomUUID().toString()).limit(labels)
                    .toArray(String[]::new);
            String router = UUID.randomUUID().toString();
            long window = windowMinutes * 60L;
            int reports = Math.toIntExact(Duration.ofDays(30).toSeconds() / window);
            long start = System.nanoTime();
            for (int i = 0; i < reports; i++) {
                client.create("/v2.0/metering/usage_reports", body(router, labelIds, NOVEMBER.plusSeconds(i * window),
                        window, i));
            }
            long stored = System.nanoTime() - start;
            report("store the month", "%d reports of %d rows in %.1f s".formatted(reports, labels, stored / 1e9));
            // November as a range: a range is always computed from the rows, while the period 2026-11 is closed
            // (stored) once its grace passed, after which reading it measures the stored statement instead.
            String path = "/v2.0/metering/statements?project_id=" + PROJECT
                    + "&start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z";
            time(client, path, Optional.empty(), "statement of 2026-11, JSON");
            time(client, path, Optional.of("text/csv"), "statement of 2026-11, CSV");
            time(client, "/v2.0/metering/statements?project_id=" + PROJECT + "&period=2026-11", Optional.empty(),
                    "closed statement of 2026-11 (stored), JSON");
        } finally {
            scratch.close();
        }
        return 0;
    }

    private static void time(BenchClient client, String path, Optional<String> accept, String what)
            throws Exception {
        client.get(path, accept);     // warm-up
        long[] nanos = new long[RUNS];
        long bytes = 0;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            bytes = client.get(path, accept);
            nanos[i] = System.nanoTime() - start;
        }
        report(what, summary(nanos) + ", %d bytes".formatted(bytes));
    }

    /** One window's report: every label counted on the router, with bytes that vary by label and window. */
    private static String body(String router, String[] labelIds, Instant windowStart, long seconds, int index) {
        StringBuilder body = new StringBuilder(labelIds.length * 220);
        long first = windowStart.getEpochSecond();
        long last = first + seconds;
        body.append("{\"usage_report\": {\"id\": \"").append(UUID.randomUUID()).append("\", \"host\": \"bench-host\", ")
                .append("\"window_start\": \"").append(windowStart).append("\", \"window_end\": \"")
                .append(windowStart.plusSeconds(seconds)).append("\", \"usage\": [");
        for (int l = 0; l < labelIds.length; l++) {
            body.append(l == 0 ? "" : ", ").append("{\"router_id\": \"").append(router)
                    .append("\", \"label_id\": \"").append(labelIds[l])
                    .append("\", \"project_id\": \"").append(PROJECT)
                    .append("\", \"pkts\": ").append(10 + (index * 7 + l) % 1000)
                    .append(", \"bytes\": ").append(1_000 + (index * 7919L + l * 104_729L) % 10_000_000)
                    .append(", \"first_update\": ").append(first)
                    .append(", \"last_update\": ").append(last).append('}');
        }
        return body.append("]}}").toString();
    }
}
