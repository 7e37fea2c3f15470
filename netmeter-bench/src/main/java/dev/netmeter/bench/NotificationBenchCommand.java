package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.Logging;
import dev.netmeter.server.notification.L3MeterNotifications;
import dev.netmeter.server.notification.NotificationPublisher;
import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.server.notification.TransportUrl;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageNotifications;
import dev.netmeter.service.UsageService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench notifications}: what l3.meter notifications cost. Stores the same usage reports on two
 * embedded databases, without and with notifications (the outbox rows written with each report), then publishes
 * the outbox to RabbitMQ with confirms, as a server does, and measures the rate until the last is confirmed.
 * Publishes to an exchange and topic of its own, deleted at the end.
 */
@Command(name = "notifications", mixinStandardHelpOptions = true,
        description = "Measure l3.meter notifications: report storage without and with the outbox, and the rate "
                + "of publishing to RabbitMQ with publisher confirms.")
public final class NotificationBenchCommand implements Callable<Integer> {
    private static final RequestContext AGENT =
            new RequestContext(new ProjectId("services"), "bench-agent", Set.of("agent"));
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    @Option(names = "--transport-url", defaultValue = "rabbit://guest:guest@127.0.0.1:5672/",
            description = "The RabbitMQ to publish to (default rabbit://guest:guest@127.0.0.1:5672/).")
    private String transportUrl;

    @Option(names = "--rows", defaultValue = "100000", description = "Usage rows in all (default 100000).")
    private int rows;

    @Option(names = "--rows-per-report", defaultValue = "1000", description = "Rows per report (default 1000).")
    private int rowsPerReport;

    @Override
    public Integer call() throws Exception {
        Logging.configure("text", "WARN");
        TransportUrl url = TransportUrl.parse(transportUrl);
        List<NewUsageReport> reports = reports();
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-notifications");
        Path dataDir = scratch.path();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        NotificationSettings settings = new NotificationSettings(Optional.of(url), List.of("netmeterbench" + suffix),
                "netmeter-bench-" + suffix, false, false);
        try (Database warmUp = open(dataDir.resolve("warm-up")); Database without = open(dataDir.resolve("without"));
             Database with = open(dataDir.resolve("with"))) {
            // The JIT compiles the store on the same two cores: warm it up on both paths, uncounted.
            int tenth = Math.max(1, reports.size() / 10);
            store(warmUp, new L3MeterNotifications(false), reports.subList(0, tenth));
            store(warmUp, UsageNotifications.NONE, reports.subList(tenth, Math.min(reports.size(), 2 * tenth)));
            report("usage rows, in reports of", "%d, %d rows".formatted(reports.size() * rowsPerReport, rowsPerReport));
            // Interleaved in rounds, each side first in turn, so that load from elsewhere falls on both alike.
            long[] nanos = new long[2];
            int rounds = Math.min(10, reports.size());
            for (int round = 0; round < rounds; round++) {
                List<NewUsageReport> part = reports.subList(round * reports.size() / rounds,
                        (round + 1) * reports.size() / rounds);
                for (int side : round % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    nanos[side] += side == 0 ? store(without, UsageNotifications.NONE, part)
                            : store(with, new L3MeterNotifications(false), part);
                }
            }
            int stored = reports.size() * rowsPerReport;
            report("store reports, notifications off", rate(stored, nanos[0]));
            report("store reports, notifications on (outbox)", rate(stored, nanos[1]));
            publish(with, settings, reports.size() * rowsPerReport);
        } finally {
            deleteBenchQueue(url, settings);
            scratch.close();
        }
        return 0;
    }

    private List<NewUsageReport> reports() {
        List<NewUsageReport> reports = new ArrayList<>();
        for (int r = 0; r < Math.max(1, rows / rowsPerReport); r++) {
            Map<UsageKey, Usage> usage = new HashMap<>();
            for (int i = 0; i < rowsPerReport; i++) {
                usage.put(new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
                        new ProjectId("project-" + i % 100)), new Usage(i, 1000L * i, T0, T0.plusSeconds(240)));
            }
            reports.add(new NewUsageReport("bench-host", new UsageReport(UUID.randomUUID(), T0,
                    T0.plusSeconds(300), usage)));
        }
        return reports;
    }

    private static Database open(Path dir) {
        return Database.open(new DatabaseSettings("jdbc:h2:file:" + dir.resolve("netmeter").toAbsolutePath(), "", "",
                16, Duration.ofSeconds(10)));
    }

    /** Stores {@code reports}; returns the nanoseconds it took. */
    private static long store(Database database, UsageNotifications notifications, List<NewUsageReport> reports) {
        UsageService usage = new UsageService(database.transactor(), Policy.defaults(), Clock.systemUTC(),
                Optional.empty(), notifications);
        long start = System.nanoTime();
        reports.forEach(report -> usage.receive(AGENT, report));
        return System.nanoTime() - start;
    }

    private static String rate(int rows, long nanos) {
        return "%.0f rows/s (%d in %.2f s)".formatted(rows / (nanos / 1e9), rows, nanos / 1e9);
    }

    private static void publish(Database database, NotificationSettings settings, int expected) throws Exception {
        long start = System.nanoTime();
        try (NotificationPublisher publisher = NotificationPublisher.start(database.transactor(), settings,
                Clock.systemUTC(), Duration.ofMillis(100))) {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
            while (publisher.published() < expected && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            report("publish the outbox to RabbitMQ (confirmed, marked)", "%.0f notifications/s (%d in %.2f s)"
                    .formatted(publisher.published() / seconds, publisher.published(), seconds));
        }
    }

    private static void deleteBenchQueue(TransportUrl url, NotificationSettings settings) {
        ConnectionFactory factory = new ConnectionFactory();
        TransportUrl.Host host = url.hosts().getFirst();
        factory.setHost(host.host());
        factory.setPort(host.port());
        factory.setUsername(host.user());
        factory.setPassword(host.password());
        factory.setVirtualHost(url.virtualHost());
        try (Connection connection = factory.newConnection("netmeter-bench"); Channel channel =
                connection.createChannel()) {
            channel.queueDelete(settings.topics().getFirst() + ".info");
            channel.exchangeDelete(settings.exchange());
        } catch (Exception e) {
            System.err.println("could not delete the bench's queue and exchange: " + e.getMessage());
        }
    }
}
