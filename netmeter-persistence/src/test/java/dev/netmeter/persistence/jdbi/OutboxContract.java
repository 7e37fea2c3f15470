package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.error.UsageReportConflictException;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Notification;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.Policy;
import dev.netmeter.service.UsageNotifications;
import dev.netmeter.service.UsageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The notification outbox on every backend: a stored report enqueues one notification per row in its own
 * transaction (a resent or conflicting one enqueues nothing), a claim holds its notifications until its lease
 * expires, and publishers that claim at the same time publish each notification once.
 */
@Timeout(120)
abstract class OutboxContract extends DatabaseContract {
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(60);

    /** One notification per row, naming the row; the real format is the server's (L3MeterNotifications). */
    private static final UsageNotifications ROWS = new UsageNotifications() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean needsLabels() {
            return false;
        }

        @Override
        public List<Notification> of(NewUsageReport report, Map<LabelId, MeteringLabel> labels, Instant at) {
            return report.report().usage().entrySet().stream()
                    .map(row -> new Notification(Notification.messageId(report.report().id(), row.getKey()),
                            "l3.meter", "{\"bytes\": %d}".formatted(row.getValue().bytes())))
                    .toList();
        }
    };

    private UsageService usage;
    private final AtomicInteger tokens = new AtomicInteger();

    OutboxContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void an_empty_outbox() {
        execute("DELETE FROM metering_notification_outbox");
        usage = new UsageService(transactor, Policy.defaults(), Clock.systemUTC(), Optional.empty(), ROWS);
    }

    @Test
    void a_stored_report_enqueues_one_notification_per_row_with_an_id_derived_from_the_row() {
        NewUsageReport report = report(3);

        usage.receive(UsageContract.AGENT, report);

        List<Notification> claimed = claim(T0, 100);
        assertThat(claimed).extracting(Notification::messageId).containsExactlyInAnyOrderElementsOf(
                report.report().usage().keySet().stream()
                        .map(key -> Notification.messageId(report.report().id(), key)).toList());
        assertThat(claimed).extracting(Notification::message).containsExactlyInAnyOrderElementsOf(
                report.report().usage().values().stream().map(row -> "{\"bytes\": %d}".formatted(row.bytes()))
                        .toList());
    }

    @Test
    void a_resent_report_enqueues_nothing_more_and_a_conflicting_one_nothing_at_all() {
        NewUsageReport report = report(2);
        usage.receive(UsageContract.AGENT, report);
        usage.receive(UsageContract.AGENT, report);
        NewUsageReport other = new NewUsageReport(report.host(), new UsageReport(report.report().id(),
                report.report().windowStart(), report.report().windowEnd(), report(4).report().usage()));
        assertThatThrownBy(() -> usage.receive(UsageContract.AGENT, other))
                .isInstanceOf(UsageReportConflictException.class);

        assertThat(unpublished()).isEqualTo(2);
    }

    @Test
    void a_claim_holds_its_notifications_until_its_lease_expires_and_only_its_owner_marks_them() {
        usage.receive(UsageContract.AGENT, report(3));
        String first = token();
        List<Notification> claimed = claim(first, T0, 100);
        assertThat(claimed).hasSize(3);

        assertThat(claim(T0.plus(LEASE).minusMillis(1), 100)).as("leased").isEmpty();
        String second = token();
        assertThat(claim(second, T0.plus(LEASE), 100)).as("lease expired").hasSize(3);
        assertThat(mark(first, claimed)).as("no longer the owner").isZero();
        assertThat(mark(second, claimed)).isEqualTo(3);
        assertThat(claim(T0.plus(LEASE.multipliedBy(10)), 100)).as("published").isEmpty();
        assertThat(unpublished()).isZero();
    }

    @Test
    void a_released_claim_is_claimed_again_at_once_and_a_claim_takes_at_most_its_limit_oldest_first() {
        NewUsageReport older = report(2);
        usage.receive(UsageContract.AGENT, older);
        usage.receive(UsageContract.AGENT, report(3));
        String first = token();
        assertThat(claim(first, T0, 4)).hasSize(4);
        assertThat(claim(T0, 4)).hasSize(1);
        transactor.inTransaction(repos -> repos.outbox().release(first));

        List<Notification> again = claim(T0, 10);
        assertThat(again).hasSize(4);
    }

    @Test
    void published_notifications_are_deleted_once_past_the_horizon() {
        usage.receive(UsageContract.AGENT, report(2));
        String token = token();
        List<Notification> claimed = claim(token, T0, 10);
        transactor.inTransaction(repos -> repos.outbox().markPublished(token,
                claimed.stream().map(Notification::messageId).toList(), T0));

        assertThat(deletePublishedBefore(T0)).isZero();
        assertThat(deletePublishedBefore(T0.plusMillis(1))).isEqualTo(2);
    }

    @Test
    void publishers_claiming_at_the_same_time_publish_each_notification_once() throws Exception {
        int reports = 20;
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < reports; i++) {
            NewUsageReport report = report(15);
            usage.receive(UsageContract.AGENT, report);
            report.report().usage().keySet().forEach(key -> expected.add(Notification.messageId(
                    report.report().id(), key)));
        }
        List<UUID> published = Collections.synchronizedList(new ArrayList<>());
        int publishers = 4;
        CountDownLatch start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(publishers)) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                done.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    Instant now = Instant.now();
                    List<Notification> batch;
                    do {
                        String token = token();
                        batch = claim(token, now, 7);
                        batch.forEach(notification -> published.add(notification.messageId()));
                        mark(token, batch);
                    } while (!batch.isEmpty());
                }, threads));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
        assertThat(new HashSet<>(published)).hasSize(published.size());
        assertThat(published).containsExactlyInAnyOrderElementsOf(expected);
    }

    private List<Notification> claim(Instant now, int limit) {
        return claim(token(), now, limit);
    }

    private List<Notification> claim(String token, Instant now, int limit) {
        return transactor.inTransaction(repos -> repos.outbox().claim(token, now, now.plus(LEASE), limit));
    }

    private int mark(String token, List<Notification> notifications) {
        return transactor.inTransaction(repos -> repos.outbox().markPublished(token,
                notifications.stream().map(Notification::messageId).toList(), T0));
    }

    private long unpublished() {
        return transactor.inTransaction(repos -> repos.outbox().unpublished());
    }

    private int deletePublishedBefore(Instant horizon) {
        return transactor.inTransaction(repos -> repos.outbox().deletePublishedBefore(horizon, 10));
    }

    private String token() {
        return "test/" + tokens.incrementAndGet();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static NewUsageReport report(int rows) {
        Map<UsageKey, Usage> usage = new LinkedHashMap<>();
        for (int i = 0; i < rows; i++) {
            usage.put(new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
                    new ProjectId("p" + i)), new Usage(i + 1, 100L * (i + 1), T0, T0.plusSeconds(60)));
        }
        return new NewUsageReport("host-1", new UsageReport(UUID.randomUUID(), T0, T0.plusSeconds(300), usage));
    }
}
