package dev.netmeter.server;

import dev.netmeter.service.BillingService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the statements of billing periods whose end and grace time ({@code billing.close_grace}) passed, soon
 * after start and then every {@code period}, on one background thread ({@link BillingService#closeDue}). A run
 * that fails (the database is away) is logged and the next one tries again; several servers on one database may
 * close at once (each period is stored once). A statement asked for before the job reached it is closed on the
 * spot by the same code.
 */
final class StatementCloser {
    private static final Logger LOG = LoggerFactory.getLogger(StatementCloser.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private StatementCloser() {
    }

    /** Closes what is due every {@code period}, the first time a minute from now. */
    static PeriodicTask start(BillingService billing, Duration period) {
        return PeriodicTask.start("netmeter-statement-closer", "billing: closing statements", FIRST_RUN, period,
                () -> {
                    int closed = billing.closeDue();
                    if (closed > 0) {
                        LOG.info("billing: {} period statement(s) closed past billing.close_grace", closed);
                    }
                });
    }
}
