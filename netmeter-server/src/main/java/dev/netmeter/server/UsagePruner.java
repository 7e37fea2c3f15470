package dev.netmeter.server;

import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.service.UsageService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes usage past its retention ({@code usage.retention_days}) soon after start and then every
 * {@code period}, on one background thread. A run that fails (the database is away) is logged and the next
 * one tries again; several servers on one database may prune at once (a report is deleted once).
 */
final class UsagePruner {
    private static final Logger LOG = LoggerFactory.getLogger(UsagePruner.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private UsagePruner() {
    }

    /** Prunes {@code usage} every {@code period}, the first time a minute from now. */
    static PeriodicTask start(UsageService usage, Duration period) {
        return start(usage, FIRST_RUN, period);
    }

    /** Prunes {@code usage} every {@code period}, the first time {@code first} from now. */
    static PeriodicTask start(UsageService usage, Duration first, Duration period) {
        return PeriodicTask.start("netmeter-usage-pruner", "usage retention: pruning", first, period, () -> {
            UsagePruned pruned = usage.prune();
            if (pruned.reports() > 0) {
                LOG.info("usage retention: deleted {} report(s) and {} usage row(s) past usage.retention_days",
                        pruned.reports(), pruned.rows());
            }
        });
    }
}
