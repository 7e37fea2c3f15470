package dev.netmeter.server;

import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.service.UsageService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes usage past its retention ({@code usage.retention_days}) soon after start and then every
 * {@code period}, on one background thread. A run that fails (the database is away) is logged and the next
 * one tries again; several servers on one database may prune at once (a report is deleted once).
 */
final class UsagePruner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsagePruner.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread pruner = new Thread(task, "netmeter-usage-pruner");
        pruner.setDaemon(true);
        return pruner;
    });

    private UsagePruner() {
    }

    /** Prunes {@code usage} every {@code period}, the first time a minute from now. */
    static UsagePruner start(UsageService usage, Duration period) {
        return start(usage, FIRST_RUN, period);
    }

    /** Prunes {@code usage} every {@code period}, the first time {@code first} from now. */
    static UsagePruner start(UsageService usage, Duration first, Duration period) {
        UsagePruner pruner = new UsagePruner();
        pruner.thread.scheduleWithFixedDelay(() -> prune(usage), first.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return pruner;
    }

    private static void prune(UsageService usage) {
        try {
            UsagePruned pruned = usage.prune();
            if (pruned.reports() > 0) {
                LOG.info("usage retention: deleted {} report(s) and {} usage row(s) past usage.retention_days",
                        pruned.reports(), pruned.rows());
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log, and try at the next period.
            LOG.warn("usage retention: pruning failed, tried again later: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
