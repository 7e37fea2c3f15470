package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.Logging;
import dev.netmeter.server.NetmeterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code netmeter bench statements}: month statements (November 2026, 8,640 five-minute samples), read from the
 * days of samples each stored report keeps up to date, against an in-process server on the embedded database or
 * {@code --database-url}.
 *
 * <ul>
 *   <li>One project (the default): a month of usage stored as agents send it, one router counting every label,
 *       a report per window ({@code --seed api}); or the same days written directly ({@code --seed samples}).
 *       Prints the time to store the month and the time of the statement, in JSON and in CSV.</li>
 *   <li>{@code --projects N} (N above 1): N projects of {@code --labels} labels each, a month of samples with
 *       traffic in every sample, written directly through the repository (the read side is measured, not the
 *       ingest); prints the time to read every project's statement one after the other, and their median.</li>
 * </ul>
 */
@Command(name = "statements", mixinStandardHelpOptions = true,
        description = {"Measure month statements (issue 17's targets: one project of 100 labels under 500 ms, "
                + "every statement of 1,000 projects under 60 s).",
                "--projects above 1 writes each project's days of samples directly through the repository, "
                        + "not through reports: it measures statements, not ingest."})
public final class StatementBenchCommand implements Callable<Integer> {
    private static final String PROJECT = "bench-project";
    private static final Instant NOVEMBER = Instant.parse("2026-11-01T00:00:00Z");
    private static final int DAYS = 30;
    private static final int RUNS = 10;
    /** Statements read before timing: enough for the JIT to compile the decoding and the adding up. */
    private static final int WARM_UPS = 3;

    /** How the month's usage is stored. */
    enum Seed { API, SAMPLES }

    @Option(names = "--database-url",
            description = "An empty database to fill (default: embedded, in a temporary directory).")
    private String databaseUrl;

    @Option(names = "--labels", defaultValue = "100", description = "Labels of each project (default 100).")
    private int labels;

    @Option(names = "--projects", defaultValue = "1",
            description = "Projects (default 1); above 1, every project's statement is timed, seeded as samples.")
    private int projects;

    @Option(names = "--seed", defaultValue = "api", converter = SeedConverter.class,
            description = "api (reports through the API, default) or samples (days written directly); one project.")
    private Seed seed;

    @Option(names = "--window-minutes", defaultValue = "5",
            description = "Length of each report's window with --seed api (default 5: a row per label and sample).")
    private int windowMinutes;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "WARN");
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-statements");
        Path dataDir = scratch.path();
        String url = databaseUrl != null ? databaseUrl : scratch.embeddedDatabaseUrl();
        DatabaseSettings settings = new DatabaseSettings(url, "", "", 16, Duration.ofSeconds(10));
        try {
            report("database", url.substring(0, url.indexOf(':', 5)));
            if (projects > 1) {
                allProjects(dataDir, settings);
            } else {
                oneProject(dataDir, settings);
            }
        } finally {
            scratch.close();
        }
        return 0;
    }

    private void oneProject(Path dataDir, DatabaseSettings settings) throws Exception {
        String[] labelIds = Stream.generate(() -> UUID.randomUUID().toString()).limit(labels).toArray(String[]::new);
        long start = System.nanoTime();
        if (seed == Seed.SAMPLES) {
            try (Database database = Database.open(settings)) {
                writeMonth(database, PROJECT, labelIds);
            }
            report("store the month", "%d days of samples in %.1f s".formatted(labels * DAYS,
                    (System.nanoTime() - start) / 1e9));
        }
        try (NetmeterServer server = NetmeterServer.start(UsageBenchCommand.config(dataDir, settings, false))) {
            BenchClient client = new BenchClient("http://127.0.0.1:" + server.port());
            if (seed == Seed.API) {
                String router = UUID.randomUUID().toString();
                long window = windowMinutes * 60L;
                int reports = Math.toIntExact(Duration.ofDays(DAYS).toSeconds() / window);
                for (int i = 0; i < reports; i++) {
                    client.create("/v2.0/metering/usage_reports", body(router, labelIds,
                            NOVEMBER.plusSeconds(i * window), window, i));
                }
                report("store the month", "%d reports of %d rows in %.1f s".formatted(reports, labels,
                        (System.nanoTime() - start) / 1e9));
            }
            String path = rangePath(PROJECT);
            time(client, path, Optional.empty(), "statement of 2026-11, JSON");
            time(client, path, Optional.of("text/csv"), "statement of 2026-11, CSV");
            if (seed == Seed.API) {
                // the closing job closes the period of a project that reported, once its grace passed
                time(client, "/v2.0/metering/statements?project_id=" + PROJECT + "&period=2026-11",
                        Optional.empty(), "closed statement of 2026-11 (stored), JSON");
            }
        }
    }

    private void allProjects(Path dataDir, DatabaseSettings settings) throws Exception {
        long start = System.nanoTime();
        try (Database database = Database.open(settings)) {
            for (int p = 0; p < projects; p++) {
                writeMonth(database, PROJECT + "-" + p, Stream.generate(() -> UUID.randomUUID().toString())
                        .limit(labels).toArray(String[]::new));
            }
        }
        report("store the month", "%d projects × %d labels: %d days of samples in %.1f s".formatted(projects,
                labels, projects * labels * DAYS, (System.nanoTime() - start) / 1e9));
        try (NetmeterServer server = NetmeterServer.start(UsageBenchCommand.config(dataDir, settings, false))) {
            BenchClient client = new BenchClient("http://127.0.0.1:" + server.port());
            client.get(statementPath(0), Optional.empty());      // warm-up
            long[] nanos = new long[projects];
            long bytes = 0;
            long all = System.nanoTime();
            for (int p = 0; p < projects; p++) {
                long one = System.nanoTime();
                bytes += client.get(statementPath(p), Optional.empty());
                nanos[p] = System.nanoTime() - one;
            }
            long total = System.nanoTime() - all;
            report("every project's statement of 2026-11, JSON", "%d statements in %.1f s, %d bytes".formatted(
                    projects, total / 1e9, bytes));
            report("one project's statement", summary(nanos));
        }
    }

    private static String statementPath(int project) {
        return rangePath(PROJECT + "-" + project);
    }

    /**
     * November as a range: a range is always computed, while the period 2026-11 is closed (stored) once its grace
     * passed, after which reading it would measure the stored statement instead.
     */
    private static String rangePath(String project) {
        return "/v2.0/metering/statements?project_id=" + project
                + "&start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z";
    }

    /**
     * Writes a month of days with traffic in every sample for each label, a project per transaction, with the
     * bytes and packets {@link #body} gives the same label and sample.
     */
    private static void writeMonth(Database database, String project, String[] labelIds) {
        SortedMap<SampleDayKey, DailySamples> days = new TreeMap<>();
        long firstDay = NOVEMBER.getEpochSecond() / DailySamples.DAY_SECONDS;
        for (int l = 0; l < labelIds.length; l++) {
            for (int d = 0; d < DAYS; d++) {
                DailySamples.Builder day = DailySamples.builder();
                for (int k = 0; k < DailySamples.PER_DAY; k++) {
                    int index = d * DailySamples.PER_DAY + k;
                    day.add(k, bytes(index, l), packets(index, l));
                }
                days.put(new SampleDayKey(new ProjectId(project), new LabelId(UUID.fromString(labelIds[l])),
                        Optional.empty(), firstDay + d), day.build());
            }
        }
        database.transactor().inTransaction(repos -> {
            repos.usage().addSamples(days);
            return null;
        });
    }

    private static long bytes(int index, int label) {
        return 1_000 + (index * 7919L + label * 104_729L) % 10_000_000;
    }

    private static long packets(int index, int label) {
        return 10 + (index * 7L + label) % 1000;
    }

    private static void time(BenchClient client, String path, Optional<String> accept, String what)
            throws Exception {
        for (int i = 0; i < WARM_UPS; i++) {
            client.get(path, accept);
        }
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
                    .append("\", \"pkts\": ").append(packets(index, l))
                    .append(", \"bytes\": ").append(bytes(index, l))
                    .append(", \"first_update\": ").append(first)
                    .append(", \"last_update\": ").append(last).append('}');
        }
        return body.append("]}}").toString();
    }

    /** Reads {@code --seed} in lower case. */
    static final class SeedConverter implements ITypeConverter<Seed> {
        @Override
        public Seed convert(String value) {
            return Arrays.stream(Seed.values()).filter(seed -> seed.name().equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException(
                            "'%s' is not api or samples".formatted(value)));
        }
    }
}
