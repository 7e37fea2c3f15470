package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.error.MeteringLabelNotFoundException;
import dev.netmeter.domain.error.MeteringLabelRuleOverlapsException;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Check-then-write under contention: the row lock on the label makes concurrent creators of overlapping
 * rules queue, so exactly one is admitted and every other gets a clean 409, never a deadlock or a 500.
 * Races are repeated, because one green run proves little (STYLE.md §10). The transactor would hide a
 * deadlock by running the loser again, so the tests also count its retries: there must be none.
 */
@Timeout(60)
abstract class ConcurrencyContract extends DatabaseContract {
    private static final int THREADS = 8;

    private final Logger transactorLog = (Logger) LoggerFactory.getLogger(JdbiTransactor.class);
    private final ListAppender<ILoggingEvent> retries = new ListAppender<>();
    private Level levelBefore;

    ConcurrencyContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void count_retries() {
        levelBefore = transactorLog.getLevel();
        transactorLog.setLevel(Level.DEBUG);
        retries.list.clear();
        retries.start();
        transactorLog.addAppender(retries);
    }

    @AfterEach
    void stop_counting_retries() {
        transactorLog.detachAppender(retries);
        transactorLog.setLevel(levelBefore);
    }

    @RepeatedTest(20)
    void concurrent_identical_creates_admit_exactly_one() {
        LabelId label = data.label("p1");

        List<Optional<RuntimeException>> outcomes = race(THREADS,
                thread -> creating(List.of(remote(label, INGRESS, "10.0.0.0/24"))));

        assertExactlyOneAdmitted(outcomes);
        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(1);
        assertNoRetries();
    }

    /** Every block contains 10.0.0.0, so each pair overlaps although no two prefixes are the same. */
    @RepeatedTest(20)
    void concurrent_nested_creates_admit_exactly_one() {
        LabelId label = data.label("p1");

        List<Optional<RuntimeException>> outcomes = race(THREADS,
                thread -> creating(List.of(remote(label, INGRESS, "10.0.0.0/%d".formatted(24 + thread)))));

        assertExactlyOneAdmitted(outcomes);
        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(1);
        assertNoRetries();
    }

    /** Half the requests name the labels in the other order; labels are locked in id order, so none deadlocks. */
    @RepeatedTest(10)
    void bulk_creates_over_two_labels_in_opposite_orders_all_succeed() {
        LabelId one = data.label("p1");
        LabelId two = data.label("p1");

        List<Optional<RuntimeException>> outcomes = race(THREADS / 2, thread -> creating(inOrder(thread,
                remote(one, INGRESS, "10.0.%d.0/24".formatted(thread)),
                remote(two, INGRESS, "10.0.%d.0/24".formatted(thread)))));

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isEmpty());
        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(THREADS);
        assertNoRetries();
    }

    @RepeatedTest(10)
    void overlapping_bulk_creates_over_two_labels_in_opposite_orders_admit_exactly_one() {
        LabelId one = data.label("p1");
        LabelId two = data.label("p1");

        List<Optional<RuntimeException>> outcomes = race(THREADS / 2, thread -> creating(inOrder(thread,
                remote(one, INGRESS, "10.0.0.0/%d".formatted(24 + thread)),
                remote(two, INGRESS, "10.0.0.0/%d".formatted(24 + thread)))));

        assertExactlyOneAdmitted(outcomes);
        List<MeteringLabelRule> stored = rules.list(ADMIN, ALL_RULES);
        assertThat(stored).extracting(MeteringLabelRule::labelId).containsExactlyInAnyOrder(one, two);
        assertThat(stored).extracting(rule -> rule.remoteIpPrefix().orElseThrow()).containsOnly(
                stored.getFirst().remoteIpPrefix().orElseThrow());
        assertNoRetries();
    }

    /** A retry means a transaction lost a deadlock or timed out on a lock: the lock order is broken. */
    private void assertNoRetries() {
        assertThat(retries.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("transactions run again by JdbiTransactor").isEmpty();
    }

    /**
     * Creators queue on the label's lock, so each one either commits before the delete (and the cascade takes
     * its rule) or finds the label gone: a 404, never a foreign-key 500, and no rule outlives its label.
     */
    @RepeatedTest(10)
    void creates_racing_the_delete_of_their_label_succeed_or_find_no_label() {
        LabelId label = data.label("p1");
        int deleter = THREADS - 1;

        List<Optional<RuntimeException>> outcomes = race(THREADS, thread -> thread == deleter
                ? () -> labels.delete(ADMIN, label.toString())
                : creating(List.of(remote(label, INGRESS, "10.0.%d.0/24".formatted(thread)))));

        assertThat(outcomes.get(deleter)).isEmpty();
        assertThat(outcomes).filteredOn(Optional::isPresent).allSatisfy(outcome ->
                assertThat(outcome.orElseThrow()).isInstanceOf(MeteringLabelNotFoundException.class));
        assertThat(rules.list(ADMIN, ALL_RULES)).isEmpty();
        assertNoRetries();
    }

    private static List<NewRule> inOrder(int thread, NewRule first, NewRule second) {
        return thread % 2 == 0 ? List.of(first, second) : List.of(second, first);
    }

    private static void assertExactlyOneAdmitted(List<Optional<RuntimeException>> outcomes) {
        assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(outcomes).filteredOn(Optional::isPresent).allSatisfy(outcome ->
                assertThat(outcome.orElseThrow()).isInstanceOf(MeteringLabelRuleOverlapsException.class));
    }

    private Runnable creating(List<NewRule> request) {
        return () -> rules.create(ADMIN, request);
    }

    /**
     * Runs {@code work.apply(thread)} on {@code threads} threads at once, released together by a latch once
     * every thread is waiting, and returns what each one threw, if anything.
     */
    private static List<Optional<RuntimeException>> race(int threads, IntFunction<Runnable> work) {
        var ready = new CountDownLatch(threads);
        var start = new CountDownLatch(1);
        List<CompletableFuture<Optional<RuntimeException>>> outcomes = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                Runnable task = work.apply(i);
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    ready.countDown();
                    await(start);
                    try {
                        task.run();
                        return Optional.empty();
                    } catch (RuntimeException e) {
                        return Optional.of(e);
                    }
                }, pool));
            }
            await(ready);
            start.countDown();
        }
        return outcomes.stream().map(CompletableFuture::join).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the threads of a race did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a race to start", e);
        }
    }
}
