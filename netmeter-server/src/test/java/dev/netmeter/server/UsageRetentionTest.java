package dev.netmeter.server;

import static dev.netmeter.server.HttpContract.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code usage.retention_days} in a running server: old reports refused, and the pruner deleting old ones. */
class UsageRetentionTest {
    private static final Duration MONTH = Duration.ofDays(30);

    @Test
    void a_report_that_ended_before_the_retention_is_refused_in_neutrons_error_format() {
        try (TestDatabase database = TestDatabase.create(Backend.H2);
             NetmeterServer server = NetmeterServer.start(TestServers.config(database.settings(), Duration.ofSeconds(5),
                     Optional.of(MONTH)));
             ApiClient api = new ApiClient(server.port())) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String id = UUID.randomUUID().toString();
            Instant end = now.minus(Duration.ofDays(40));

            ApiClient.Response refused = api.post(UsageApiContract.REPORTS, UsageApiContract.AGENT,
                    emptyReport(id, end));
            ApiClient.Response stored = api.post(UsageApiContract.REPORTS, UsageApiContract.AGENT,
                    emptyReport(UUID.randomUUID().toString(), now.minus(Duration.ofDays(20))));

            Instant horizon = Instant.parse(refused.errorMessage().replaceAll(".*, before (\\S+): .*", "$1"));
            assertNeutronError(refused, 400, "UsageReportExpired",
                    "Usage report %s ended at %s, before %s: usage older "
                            .formatted(id, end, horizon) + "than that is not kept.");
            assertThat(horizon).isBetween(now.minus(MONTH).minusSeconds(60), Instant.now().minus(MONTH));
            assertThat(stored.status()).as("%s", stored).isEqualTo(201);
        }
    }

    @Test
    void the_pruner_deletes_the_reports_past_the_retention() throws InterruptedException {
        try (TestDatabase test = TestDatabase.create(Backend.H2); Database database = test.open()) {
            RequestContext agent = new RequestContext(new ProjectId("services"), "agent-user", Set.of("agent"));
            Instant end = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
            NewUsageReport old = new NewUsageReport("net-1", new UsageReport(UUID.randomUUID(), end.minusSeconds(300),
                    end, Map.of()));
            NewUsageReport recent = new NewUsageReport("net-1", new UsageReport(UUID.randomUUID(),
                    Instant.now().minusSeconds(300), Instant.now(), Map.of()));
            UsageService keepingAll = new UsageService(database.transactor(), Policy.defaults(), Clock.systemUTC(),
                    Optional.empty());
            keepingAll.receive(agent, old);
            keepingAll.receive(agent, recent);
            UsageService keepingADay = new UsageService(database.transactor(), Policy.defaults(), Clock.systemUTC(),
                    Optional.of(Duration.ofDays(1)));

            PeriodicTask pruner = UsagePruner.start(keepingADay, Duration.ZERO, Duration.ofMillis(50));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (stored(database, old).isPresent() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                pruner.close();
            }

            assertThat(stored(database, old)).as("pruned").isEmpty();
            assertThat(stored(database, recent)).as("kept").isPresent();
        }
    }

    private static Optional<StoredUsageReport> stored(Database database, NewUsageReport report) {
        return database.transactor().inTransaction(repos -> repos.usage().findReport(report.report().id()));
    }

    private static String emptyReport(String id, Instant end) {
        return UsageApiContract.report(id, "net-1", end.minusSeconds(300), end);
    }
}
