package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.AuthSettings;
import dev.netmeter.server.Logging;
import dev.netmeter.server.NetmeterServer;
import dev.netmeter.server.ServerConfig;
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
 * {@code netmeter bench usage}: storing large usage reports, and scraping {@code /metrics} over what they
 * stored. Two in-process servers share one database (the embedded one, or {@code --database-url}): one with
 * the default metrics, one with {@code metrics.router_detail} (a series per router and label, as every
 * scrape answered before the per-label default), so both scrapes are measured in the same run over the
 * same rows.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Measure usage ingest (rows/s of large reports) and /metrics scrapes at fleet scale.")
public final class UsageBenchCommand implements Callable<Integer> {
    private static final int WARM_UP_RUNS = 5;
    private static final int RUNS = 20;

    @Option(names = "--database-url",
            description = "An empty database to fill (default: embedded, in a temporary directory).")
    private String databaseUrl;

    @Option(names = "--routers", defaultValue = "1000", description = "Routers in each report (default 1000).")
    private int routers;

    @Option(names = "--labels", defaultValue = "100", description = "Labels counted on every router (default 100).")
    private int labels;

    @Option(names = "--reports", defaultValue = "3", description = "Full-size reports timed (default 3).")
    private int reports;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "WARN");
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-usage");
        Path dataDir = scratch.path();
        String url = databaseUrl != null ? databaseUrl : scratch.embeddedDatabaseUrl();
        DatabaseSettings database = new DatabaseSettings(url, "", "", 16, Duration.ofSeconds(10));
        try (NetmeterServer server = NetmeterServer.start(config(dataDir, database, false));
             NetmeterServer detailed = NetmeterServer.start(config(dataDir, database, true))) {
            BenchClient client = new BenchClient("http://127.0.0.1:" + server.port());
            BenchClient detailClient = new BenchClient("http://127.0.0.1:" + detailed.port());
            report("database", url.substring(0, url.indexOf(':', 5)));
            UsageReports bodies = new UsageReports(routers, labels);
            for (int i = 0; i < 3; i++) {   // warm-up: the same code paths, a tenth of the rows
                client.create("/v2.0/metering/usage_reports", bodies.next(Math.max(1, routers / 10)));
            }
            long[] ingest = new long[reports];
            for (int i = 0; i < reports; i++) {
                String body = bodies.next(routers);
                long start = System.nanoTime();
                client.create("/v2.0/metering/usage_reports", body);
                ingest[i] = System.nanoTime() - start;
            }
            int rows = routers * labels;
            report("store a report of %d rows (POST to 201)".formatted(rows), summary(ingest));
            report("  rows/s (median)", "%.0f".formatted(rows / (BenchCommand.median(ingest) / 1e9)));
            scrape(client, "GET /metrics, default (per label and project)");
            scrape(detailClient, "GET /metrics, metrics.router_detail=true");
        } finally {
            scratch.close();
        }
        return 0;
    }

    /** An in-process server of the bench's: noauth, text logs at WARN, large reports allowed. */
    static ServerConfig config(Path dataDir, DatabaseSettings database, boolean routerDetail) {
        return new ServerConfig("127.0.0.1", 0, dataDir, AuthSettings.noauth(dataDir), Duration.ofSeconds(5),
                new ApiSettings(64 << 20, 16384, -1, Optional.empty(), routerDetail), database, Optional.empty(),
                        "text", "WARN");
    }

    private void scrape(BenchClient client, String what) throws Exception {
        long[] bytes = new long[1];
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            client.get("/metrics");
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            bytes[0] = client.get("/metrics");
            nanos[i] = System.nanoTime() - start;
        }
        report(what, summary(nanos) + ", %d bytes".formatted(bytes[0]));
    }

    /**
     * Report bodies over the same routers and labels: each a new id and the next five-minute window, every
     * router counting every label (labels belong to ten projects).
     */
    private static final class UsageReports {
        private final UUID[] routerIds;
        private final UUID[] labelIds;
        /**
         * From the five-minute mark before now, as agents send them: a report of a period already closed would
         * also be recorded as late usage (an adjustment), which is not what a fleet sends every interval.
         */
        private Instant windowStart = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), 300) * 300);

        UsageReports(int routers, int labels) {
            routerIds = Stream.generate(UUID::randomUUID).limit(routers).toArray(UUID[]::new);
            labelIds = Stream.generate(UUID::randomUUID).limit(labels).toArray(UUID[]::new);
        }

        String next(int routers) {
            Instant start = windowStart;
            Instant end = start.plusSeconds(300);
            windowStart = end;
            StringBuilder body = new StringBuilder(routers * labelIds.length * 220);
            body.append("{\"usage_report\": {\"id\": \"").append(UUID.randomUUID())
                    .append("\", \"host\": \"bench-host\", ")
                    .append("\"window_start\": \"").append(start).append("\", \"window_end\": \"").append(end)
                    .append("\", \"usage\": [");
            String separator = "";
            for (int r = 0; r < routers; r++) {
                for (int l = 0; l < labelIds.length; l++) {
                    body.append(separator).append("{\"router_id\": \"").append(routerIds[r])
                            .append("\", \"label_id\": \"").append(labelIds[l])
                            .append("\", \"project_id\": \"bench-project-").append(l % 10)
                            .append("\", \"pkts\": ").append(1000 + l).append(", \"bytes\": ").append(1_000_000 + r)
                            .append(", \"first_update\": ").append(start.getEpochSecond())
                            .append(", \"last_update\": ").append(end.getEpochSecond()).append('}');
                    separator = ", ";
                }
            }
            return body.append("]}}").toString();
        }
    }
}
