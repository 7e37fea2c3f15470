package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.NewRouter;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.AuthSettings;
import dev.netmeter.server.Logging;
import dev.netmeter.server.NetmeterServer;
import dev.netmeter.server.ServerConfig;
import dev.netmeter.service.ChangeSignal;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.RouterService;
import dev.netmeter.service.TimeOrderedIds;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench sync}: the cost of one agent host's sync data. Builds a host of routers with the
 * labels and rules that apply to them, first at a tenth of the size, then at full size, on the embedded
 * database or on {@code --database-url}, and measures at each size: the statements one read runs, the
 * read itself (snapshot transaction, rows to objects), and the whole HTTP request to its last byte on an
 * in-process server.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Measure the sync data of one agent host: statements, read time, HTTP time, "
                + "at 1/10 and full size.")
public final class SyncBenchCommand implements Callable<Integer> {
    private static final String HOST = "bench-host";
    private static final RequestContext ADMIN =
            new RequestContext(new ProjectId("bench-admin"), "bench", Set.of(RequestContext.ADMIN_ROLE));
    private static final int WARM_UP_RUNS = 20;
    private static final int RUNS = 30;

    @Option(names = "--database-url",
            description = "An empty database to fill (default: embedded, in a temporary directory).")
    private String databaseUrl;

    @Option(names = "--routers", defaultValue = "1000",
            description = "Routers on the host at full size (default 1000).")
    private int routers;

    @Option(names = "--labels", defaultValue = "1000", description = "Labels at full size (default 1000).")
    private int labels;

    @Option(names = "--shared-labels", defaultValue = "100", description = "Of which shared (default 100).")
    private int sharedLabels;

    @Option(names = "--rules", defaultValue = "20000", description = "Rules at full size (default 20000).")
    private int rules;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "WARN");
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-sync");
        Path dataDir = scratch.path();
        String url = databaseUrl != null ? databaseUrl : "jdbc:h2:file:" + dataDir.resolve("netmeter").toAbsolutePath();
        DatabaseSettings settings = new DatabaseSettings(url, "", "", 16, Duration.ofSeconds(10));
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dataDir, AuthSettings.noauth(dataDir),
                Duration.ofSeconds(5),
                new ApiSettings(1 << 20, 16384, -1, Optional.empty()), settings, Optional.empty(), "text", "WARN");
        try (Database database = Database.open(settings);
             NetmeterServer server = NetmeterServer.start(config)) {
            Seeder seeder = new Seeder(database);
            BenchClient client = new BenchClient("http://127.0.0.1:" + server.port());
            report("database", Database.class.getSimpleName() + " " + database.dialect());
            int tenth = 10;
            seeder.fill(routers / tenth, labels / tenth, sharedLabels / tenth, rules / tenth);
            measure(database, client, "1/10 size");
            seeder.fill(routers, labels, sharedLabels, rules);
            measure(database, client, "full size");
        } finally {
            scratch.close();
        }
        return 0;
    }

    private static void measure(Database database, BenchClient client, String size) throws Exception {
        HostSyncData data = database.transactor().inSnapshot(repos -> repos.sync().read(Set.of(HOST)).get(HOST));
        report("%s: routers, labels, rules of the host".formatted(size), "%d, %d, %d".formatted(
                data.routers().size(), data.labels().size(), data.rules().size()));
        long before = database.statementsExecuted();
        database.transactor().inSnapshot(repos -> repos.sync().read(Set.of(HOST)).get(HOST));
        report("  SQL statements of one read", Long.toString(database.statementsExecuted() - before));
        long[] read = time(() -> database.transactor().inSnapshot(repos -> repos.sync().read(Set.of(HOST)).get(HOST))
                .rules().size());
        report("  read (snapshot, rows to objects)", summary(read));
        long[] bytes = new long[1];
        long[] http = time(() -> bytes[0] = client.get("/v2.0/metering/sync?host=" + HOST));
        report("  GET /v2.0/metering/sync, to the last byte", summary(http) + ", %d bytes".formatted(bytes[0]));
    }

    /**
     * Runs {@code work} {@value #WARM_UP_RUNS} times to warm up (the JIT compiles the read and the rendering
     * on the same two cores), then {@value #RUNS} times; returns the times in nanoseconds.
     */
    private static long[] time(LongSupplierWithException work) throws Exception {
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            work.getAsLong();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.getAsLong();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    @FunctionalInterface
    private interface LongSupplierWithException {
        long getAsLong() throws Exception;
    }

    /**
     * Grows the data to the numbers asked (it only adds). Routers belong to projects of ten routers; each
     * project has the same share of the non-shared labels; rules are spread evenly over all labels, each a
     * distinct /32 (ingress and egress alternating, every tenth one excluded).
     */
    private static final class Seeder {
        private static final int ROUTERS_PER_PROJECT = 10;
        private final RouterService routerService;
        private final MeteringLabelService labelService;
        private final MeteringRuleService ruleService;
        private final List<LabelId> labelIds = new ArrayList<>();
        private final List<Integer> rulesPerLabel = new ArrayList<>();
        private int routerCount;
        private int sharedCount;
        private int ownCount;
        private int ruleCount;

        Seeder(Database database) {
            var ids = new TimeOrderedIds(Clock.systemUTC());
            Policy policy = Policy.defaults();
            routerService = new RouterService(database.transactor(), policy, ids, ChangeSignal.NONE);
            labelService = new MeteringLabelService(database.transactor(), policy, ids, ChangeSignal.NONE);
            ruleService = new MeteringRuleService(database.transactor(), policy, ids, ChangeSignal.NONE);
        }

        void fill(int routers, int labels, int shared, int rules) {
            List<NewRouter> newRouters = new ArrayList<>();
            for (; routerCount < routers; routerCount++) {
                newRouters.add(new NewRouter(project(routerCount / ROUTERS_PER_PROJECT), "r" + routerCount, "", true,
                        HOST, false, Optional.empty(), "qg-" + routerCount));
            }
            batches(newRouters, batch -> routerService.create(ADMIN, batch));
            int projects = Math.max(1, routers / ROUTERS_PER_PROJECT);
            List<NewLabel> newLabels = new ArrayList<>();
            for (; sharedCount < shared; sharedCount++) {
                newLabels.add(new NewLabel(project(-1), "shared-" + sharedCount, "", true));
            }
            for (; ownCount < labels - shared; ownCount++) {
                newLabels.add(new NewLabel(project(ownCount % projects), "own-" + ownCount, "", false));
            }
            batches(newLabels, batch -> labelService.create(ADMIN, batch).forEach(label -> {
                labelIds.add(label.id());
                rulesPerLabel.add(0);
            }));
            List<NewRule> newRules = new ArrayList<>();
            for (; ruleCount < rules; ruleCount++) {
                int label = ruleCount % labelIds.size();
                int nth = rulesPerLabel.get(label);
                rulesPerLabel.set(label, nth + 1);
                newRules.add(new NewRule(labelIds.get(label), nth % 2 == 0 ? Direction.INGRESS : Direction.EGRESS,
                        nth % 10 == 9, Optional.of(Cidr.parse("remote_ip_prefix",
                        "10.%d.%d.%d/32".formatted(nth >> 16 & 255, nth >> 8 & 255, nth & 255))),
                        Optional.empty(), Optional.empty()));
            }
            batches(newRules, batch -> ruleService.create(ADMIN, batch));
        }

        private static ProjectId project(int number) {
            return new ProjectId(number < 0 ? "bench-shared-owner" : "bench-project-" + number);
        }

        private static <T> void batches(List<T> items, java.util.function.Consumer<List<T>> create) {
            for (int from = 0; from < items.size(); from += 500) {
                create.accept(items.subList(from, Math.min(items.size(), from + 500)));
            }
        }
    }
}
