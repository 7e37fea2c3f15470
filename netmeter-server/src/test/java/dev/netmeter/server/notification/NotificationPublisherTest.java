package dev.netmeter.server.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Notification;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The publishing loop over a real outbox (H2) and a fake bus: it keeps trying while the bus fails, gives its
 * claim back so the retry needs no lease to expire, and what the broker took before a failure comes again under
 * the same message ids (the duplicates docs/compat.md promises are recognisable).
 */
@Timeout(60)
class NotificationPublisherTest {
    private static final RequestContext AGENT = new RequestContext(new ProjectId("services"), "agent", Set.of("agent"));
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    /** Records what it is given; fails the first {@code failures} calls, after taking the messages or not. */
    private static final class FakeBus implements NotificationBus {
        final List<Notification> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failures;
        final boolean takesBeforeFailing;

        FakeBus(int failures, boolean takesBeforeFailing) {
            this.failures = new AtomicInteger(failures);
            this.takesBeforeFailing = takesBeforeFailing;
        }

        @Override
        public void publish(List<Notification> notifications) throws IOException {
            boolean fail = failures.getAndDecrement() > 0;
            if (!fail || takesBeforeFailing) {
                received.addAll(notifications);
            }
            if (fail) {
                throw new IOException("the broker went away");
            }
        }

        @Override
        public void close() {
        }
    }

    private TestDatabase db;
    private Transactor tx;
    private UsageService usage;

    @BeforeEach
    void an_outbox() {
        db = TestDatabase.create(Backend.H2);
        tx = db.open().transactor();
        usage = new UsageService(tx, Policy.defaults(), Clock.systemUTC(), Optional.empty(),
                new L3MeterNotifications(false));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void a_bus_that_fails_is_tried_again_until_every_notification_is_published_once() throws Exception {
        List<UUID> expected = store(3, 4);
        FakeBus bus = new FakeBus(2, false);

        publishUntil(bus, expected.size());

        assertThat(bus.received).extracting(Notification::messageId).containsExactlyInAnyOrderElementsOf(expected);
        long unpublished = tx.inTransaction(repos -> repos.outbox().unpublished());
        assertThat(unpublished).isZero();
    }

    @Test
    void what_the_broker_took_before_failing_comes_again_under_the_same_message_ids() throws Exception {
        List<UUID> expected = store(1, 5);
        FakeBus bus = new FakeBus(1, true);

        publishUntil(bus, expected.size());

        assertThat(bus.received).hasSize(2 * expected.size());
        Map<UUID, Integer> copies = new HashMap<>();
        bus.received.forEach(notification -> copies.merge(notification.messageId(), 1, Integer::sum));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(copies.values()).containsOnly(2);
    }

    /** Stores {@code reports} reports of {@code rows} rows; returns their message ids. */
    private List<UUID> store(int reports, int rows) {
        List<UUID> ids = new ArrayList<>();
        for (int r = 0; r < reports; r++) {
            Map<UsageKey, Usage> usageRows = new HashMap<>();
            for (int i = 0; i < rows; i++) {
                usageRows.put(new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
                        new ProjectId("p")), new Usage(1, 100, T0, T0.plusSeconds(60)));
            }
            NewUsageReport report = new NewUsageReport("h1", new UsageReport(UUID.randomUUID(), T0,
                    T0.plusSeconds(300), usageRows));
            usage.receive(AGENT, report);
            usageRows.keySet().forEach(key -> ids.add(Notification.messageId(report.report().id(), key)));
        }
        return ids;
    }

    /** Runs a publisher over the outbox and {@code bus} until it has published {@code count} notifications. */
    private void publishUntil(FakeBus bus, int count) throws InterruptedException {
        try (NotificationPublisher publisher = NotificationPublisher.start(tx, bus, Clock.systemUTC(),
                Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> publisher.published() >= count);
            assertThat(publisher.published()).isEqualTo(count);
        }
    }
}
