package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.api.ApiServer;
import dev.netmeter.api.ApiSettings;
import dev.netmeter.api.TrustedHeaderAuthenticator;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RouterService;
import dev.netmeter.service.SyncFeed;
import dev.netmeter.service.SyncService;
import dev.netmeter.service.TimeOrderedIds;
import dev.netmeter.service.UsageService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Usage reports are read and stored a few at a time, however many agents send at once. */
class UsageReportConcurrencyTest {
    @Test
    void at_most_a_few_reports_are_stored_at_once_and_the_others_wait_their_turn() throws Exception {
        try (TestDatabase test = TestDatabase.create(Backend.H2); Database database = test.open()) {
            SlowTransactor slow = new SlowTransactor(database.transactor());
            Clock clock = Clock.systemUTC();
            Policy policy = Policy.defaults();
            TimeOrderedIds ids = new TimeOrderedIds(clock);
            Transactor tx = database.transactor();
            try (SyncFeed feed = SyncFeed.start(tx, Duration.ofSeconds(1))) {
                ApiServer api = ApiServer.create(new ApiSettings(1 << 20, 16384, -1, Optional.empty()),
                        new TrustedHeaderAuthenticator(), new ApiServer.Services(
                                new MeteringLabelService(tx, policy, ids, feed),
                                new MeteringRuleService(tx, policy, ids, feed),
                                new RouterService(tx, policy, ids, feed), new SyncService(tx, policy, feed),
                                new UsageService(slow, policy, clock, Optional.empty()),
                                new BillingService(tx, policy, clock)),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true);
                api.start("127.0.0.1", 0);
                try (ApiClient client = new ApiClient(api.port());
                     var senders = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<CompletableFuture<Integer>> statuses = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        statuses.add(CompletableFuture.supplyAsync(() -> client.post(UsageApiContract.REPORTS,
                                UsageApiContract.AGENT, UsageApiContract.report(UUID.randomUUID().toString(), "net-1"))
                                .status(), senders));
                    }
                    assertThat(statuses.stream().map(CompletableFuture::join)).containsOnly(201);
                } finally {
                    api.stop(Duration.ofSeconds(1));
                }
            }
            assertThat(slow.most.get()).as("reports stored at once").isBetween(2, ApiServer.USAGE_REPORTS_AT_ONCE);
        }
    }

    /** A transactor that takes 200 ms a transaction and remembers how many ran at once at most. */
    private static final class SlowTransactor implements Transactor {
        private final Transactor real;
        private final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        SlowTransactor(Transactor real) {
            this.real = real;
        }

        @Override
        public <T> T inTransaction(Function<Repositories, T> work) {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(200);
                return real.inTransaction(work);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public <T> T inSnapshot(Function<Repositories, T> work) {
            return real.inSnapshot(work);
        }
    }
}
