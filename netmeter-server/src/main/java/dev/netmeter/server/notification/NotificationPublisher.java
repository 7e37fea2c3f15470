package dev.netmeter.server.notification;

import dev.netmeter.domain.usage.Notification;
import dev.netmeter.persistence.Transactor;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox, on one background thread: claims a batch under a lease, publishes it with publisher
 * confirms, then marks it published. Several servers on one database each run one; a lease keeps a batch to
 * one of them, and a server that dies holding one leaves it to another once the lease expires. While the broker
 * is away the batch is given back and tried again after a growing pause; what is stored waits in the outbox,
 * across restarts too. Thread-safe.
 *
 * <p>A crash between the broker's confirm and the bookkeeping publishes that batch again: consumers see the same
 * {@code message_id} twice (docs/compat.md).
 */
public final class NotificationPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationPublisher.class);
    /** Notifications claimed and published at once. */
    static final int BATCH = 500;
    /** How long a claim is held: far more than a batch takes to publish. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** How long published notifications are kept (for inspection) before they are deleted. */
    static final Duration KEEP_PUBLISHED = Duration.ofHours(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Transactor tx;
    private final NotificationBus bus;
    private final Clock clock;
    private final Duration poll;
    private final String owner = "server-" + UUID.randomUUID();
    private final AtomicLong claims = new AtomicLong();
    private final LongAdder published = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean woken;

    private NotificationPublisher(Transactor tx, NotificationBus bus, Clock clock, Duration poll) {
        this.tx = tx;
        this.bus = bus;
        this.clock = clock;
        this.poll = poll;
        this.thread = Thread.ofPlatform().name("netmeter-notifications").daemon(true).unstarted(this::run);
    }

    /** Starts publishing the outbox of {@code tx} to RabbitMQ as {@code settings} say. */
    public static NotificationPublisher start(Transactor tx, NotificationSettings settings, Clock clock,
                                              Duration poll) {
        return start(tx, new RabbitBus(settings), clock, poll);
    }

    static NotificationPublisher start(Transactor tx, NotificationBus bus, Clock clock, Duration poll) {
        NotificationPublisher publisher = new NotificationPublisher(tx, bus, clock, poll);
        publisher.thread.start();
        return publisher;
    }

    /** Looks at the outbox now rather than at the next poll: a report was just stored. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Notifications this publisher has published (confirmed by the broker) since it started. */
    public long published() {
        return published.sum();
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        Instant nextPrune = Instant.MIN;
        while (running) {
            try {
                int sent = publishBatch();
                if (backoff.compareTo(Duration.ZERO) > 0) {
                    LOG.info("notifications: publishing again");
                    backoff = Duration.ZERO;
                }
                if (clock.instant().isAfter(nextPrune)) {
                    prune();
                    nextPrune = clock.instant().plus(Duration.ofMinutes(10));
                }
                if (sent < BATCH) {
                    pause(poll);
                }
            } catch (IOException | RuntimeException e) {
                backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                LOG.warn("notifications: publishing failed ({}); trying again in {} s", e.getMessage(),
                        backoff.toSeconds());
                pause(backoff);
            }
        }
    }

    /** Claims, publishes and marks one batch; returns how many notifications it held. */
    private int publishBatch() throws IOException {
        String token = owner + "/" + claims.incrementAndGet();
        Instant now = clock.instant();
        List<Notification> batch = tx.inTransaction(repos -> repos.outbox().claim(token, now, now.plus(LEASE), BATCH));
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            bus.publish(batch);
        } catch (IOException | RuntimeException e) {
            releaseQuietly(token);
            throw e;
        }
        tx.inTransaction(repos -> repos.outbox().markPublished(token,
                batch.stream().map(Notification::messageId).toList(), clock.instant()));
        published.add(batch.size());
        return batch.size();
    }

    private void releaseQuietly(String token) {
        try {
            tx.inTransaction(repos -> repos.outbox().release(token));
        } catch (RuntimeException e) {
            LOG.debug("notifications: could not give back claim {} (its lease expires): {}", token, e.getMessage());
        }
    }

    private void prune() {
        Instant horizon = clock.instant().minus(KEEP_PUBLISHED);
        while (tx.inTransaction(repos -> repos.outbox().deletePublishedBefore(horizon, BATCH)) == BATCH) {
            LOG.debug("notifications: deleted {} published notifications", BATCH);
        }
    }

    private void pause(Duration duration) {
        lock.lock();
        try {
            long nanos = duration.toNanos();
            while (running && !woken && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops publishing (a batch under way is finished or given up) and disconnects. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bus.close();
    }
}
