package dev.netmeter.service;

import dev.netmeter.domain.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the stored routers following an external source: reads it every {@code interval} and reconciles.
 * A read that fails changes nothing: the routers last read stay in force (and are metered) until the source
 * answers again, and {@link #status()} says how old that view is. Thread-safe; polls on one thread of its own.
 */
public final class RouterFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouterFollower.class);

    private final ExternalRouters source;
    private final RouterReconciler reconciler;
    private final Clock clock;
    private final Instant started;
    private final ScheduledExecutorService scheduler;
    private volatile Optional<Instant> lastSuccess = Optional.empty();
    private volatile Optional<String> lastError = Optional.empty();
    private volatile int routers;
    private volatile boolean closed;

    /** A follower that polls only when {@link #poll} is called; {@link #start} polls on a schedule. */
    public RouterFollower(ExternalRouters source, RouterReconciler reconciler, Clock clock) {
        this.source = source;
        this.reconciler = reconciler;
        this.clock = clock;
        this.started = clock.instant();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("netmeter-router-follower").daemon().factory());
    }

    /**
     * A follower that polls now and then every {@code interval} after the end of the previous poll, on its own
     * thread, so that a source that is down does not hold up the server's start.
     */
    public static RouterFollower start(ExternalRouters source, RouterReconciler reconciler, Duration interval,
                                       Clock clock) {
        RouterFollower follower = new RouterFollower(source, reconciler, clock);
        follower.scheduler.scheduleWithFixedDelay(follower::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return follower;
    }

    /** What {@code /healthz} and the view-age gauge show. */
    public record Status(String source, Optional<Instant> lastSuccess, Duration viewAge, int routers,
                         Optional<String> lastError) {
    }

    /** The source, when it last answered, how old the stored view is (since start, if it never answered). */
    public Status status() {
        Optional<Instant> success = lastSuccess;
        Duration age = Duration.between(success.orElse(started), clock.instant());
        return new Status(source.name(), success, age.isNegative() ? Duration.ZERO : age, routers, lastError);
    }

    /** Reads the source once and reconciles; returns whether it could. Never throws. */
    public boolean poll() {
        Instant begun = clock.instant();
        try {
            List<Router> answer = source.fetchAll();
            RouterReconciler.Outcome outcome = reconciler.reconcile(answer);
            routers = answer.size();
            lastSuccess = Optional.of(begun);
            lastError = outcome.removalsRefused() > 0
                    ? Optional.of("%d removals refused (neutron.max_removal_share)"
                            .formatted(outcome.removalsRefused()))
                    : Optional.empty();
            return true;
        } catch (ExternalRoutersException e) {
            lastError = Optional.of(e.getMessage());
            if (closed) {
                return false;   // the poll was cut short by close()
            }
            LOG.warn("cannot read routers from {}: {}; the routers read {} stay in force", source.name(),
                    e.getMessage(), lastSuccess.map(Instant::toString).orElse("before (none since start)"));
        } catch (RuntimeException e) {   // the database, most likely: the next poll tries again
            lastError = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.warn("cannot store the routers read from {}", source.name(), e);
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }
}
