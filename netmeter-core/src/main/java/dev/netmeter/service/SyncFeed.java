package dev.netmeter.service;

import dev.netmeter.domain.error.DatabaseUnavailableException;
import dev.netmeter.persistence.SyncRepository.Revisions;
import dev.netmeter.persistence.Transactor;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells waiting agents that their host's sync data changed. Thread-safe.
 *
 * <p>The database is the only source of change: one thread reads the revisions recorded since it last
 * looked, at once when a change of this server commits ({@link #committed}) and every {@code pollInterval}
 * otherwise (for changes committed by other servers on the same database), then completes the waiters of
 * every host touched. A waiter costs a small object, no thread: callers wait on virtual threads.
 *
 * <p>No change is missed: a waiter registers before it compares its revision with the feed's, and the
 * feed publishes a revision before it wakes waiters, so either the comparison sees the change or the
 * wake-up finds the waiter.
 */
public final class SyncFeed implements ChangeSignal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncFeed.class);
    /** How long a commit may wait for others to be read with it: latency added to every wake-up. */
    static final Duration COALESCE = Duration.ofMillis(20);

    private final Transactor tx;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Map<String, Long> hostRevisions = new ConcurrentHashMap<>();
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile long seen;
    private volatile long allHostsRevision;
    private volatile boolean closed;

    private SyncFeed(Transactor tx, Duration pollInterval) {
        this.tx = tx;
        this.pollInterval = pollInterval;
        this.poller = Thread.ofPlatform().name("netmeter-sync-feed").daemon().unstarted(this::run);
    }

    /** Reads the current revisions, then follows changes until closed. Fails if the database cannot be read. */
    public static SyncFeed start(Transactor tx, Duration pollInterval) {
        SyncFeed feed = new SyncFeed(tx, pollInterval);
        feed.poll();
        feed.poller.start();
        return feed;
    }

    @Override
    public void committed() {
        wakeUp.release();
    }

    /**
     * Waits until the sync data of {@code host} changes after revision {@code since}, at most
     * {@code timeout}. Returns at once if it already has, or if {@code since} is a revision this
     * database never issued (the agent's state comes from another database, or a restored backup).
     *
     * @return whether it changed; false on timeout or when the feed closes
     */
    public boolean await(String host, long since, Duration timeout) throws InterruptedException {
        if (closed) {
            return false;
        }
        Waiter waiter = new Waiter(since);
        register(host, waiter);
        try {
            if (revisionOf(host) > since) {
                return true;
            }
            if (since > seen && neverIssued(since)) {
                return true;
            }
            if (closed) {
                return false;
            }
            return waiter.changed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);     // never completed exceptionally
        } finally {
            unregister(host, waiter);
        }
    }

    /**
     * Whether the database never issued {@code since}: a revision ahead of the feed is usually a change the
     * feed has not read yet, but may come from another database (a restored backup). If the database cannot
     * be asked, the caller waits as for any revision: the feed catches up once the database is back.
     */
    private boolean neverIssued(long since) {
        try {
            return since > tx.inTransaction(repos -> repos.sync().revision());
        } catch (DatabaseUnavailableException e) {
            return false;
        }
    }

    /** The revision of the last change of {@code host}'s sync data that the feed has read. */
    long revisionOf(String host) {
        return Math.max(hostRevisions.getOrDefault(host, 0L), allHostsRevision);
    }

    /** How many long polls are waiting now, over every host. */
    public int waitingAgents() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /** Stops following changes and releases every waiter (as unchanged), so that a shutdown is not held up. */
    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        waiters.values().forEach(set -> set.forEach(waiter -> waiter.changed.complete(false)));
    }

    private void run() {
        while (!closed) {
            try {
                wakeUp.tryAcquire(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
                // Under a stream of writes, one read covers every commit of the last few milliseconds, rather
                // than a read per commit competing with the writers.
                Thread.sleep(COALESCE);
                wakeUp.drainPermits();
                poll();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database is down or failing: waiters time out and agents keep what they have.
                LOG.warn("cannot read sync revisions; retrying in {}: {}", pollInterval, e.toString());
            }
        }
    }

    private void poll() {
        long previous = seen;
        Revisions changes = tx.inTransaction(repos -> repos.sync().changedSince(previous));
        if (changes.revision() <= previous) {
            return;
        }
        changes.hosts().forEach((host, revision) -> hostRevisions.merge(host, revision, Math::max));
        allHostsRevision = changes.allHostsRevision();
        seen = changes.revision();
        if (changes.allHostsRevision() > previous) {
            waiters.values().forEach(set -> wake(set, changes.allHostsRevision()));
        }
        changes.hosts().forEach((host, revision) -> wake(waiters.get(host), revision));
    }

    private static void wake(Set<Waiter> set, long revision) {
        if (set != null) {
            set.forEach(waiter -> {
                if (waiter.since < revision) {
                    waiter.changed.complete(true);
                }
            });
        }
    }

    private void register(String host, Waiter waiter) {
        waiters.compute(host, (key, set) -> {
            Set<Waiter> present = set == null ? ConcurrentHashMap.newKeySet() : set;
            present.add(waiter);
            return present;
        });
    }

    private void unregister(String host, Waiter waiter) {
        waiters.computeIfPresent(host, (key, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
    }

    /** One waiting caller. Identity matters: two agents may wait on the same host with the same revision. */
    private static final class Waiter {
        final long since;
        final CompletableFuture<Boolean> changed = new CompletableFuture<>();

        Waiter(long since) {
            this.since = since;
        }
    }
}
