package dev.netmeter.server;

import dev.netmeter.service.BillingService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the statements of billing periods whose end and grace time ({@code billing.close_grace}) passed, soon
 * after start and then every {@code period}, on one background thread ({@link BillingService#closeDue}). A run
 * that fails (the database is away) is logged and the next one tries again; several servers on one database may
 * close at once (each period is stored once). A statement asked for before the job reached it is closed on the
 * spot by the same code.
 */
final class StatementCloser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatementCloser.class);
    private static final Duration FIRST_RUN = Duration.ofMinutes(1);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread closer = new Thread(task, "netmeter-statement-closer");
        closer.setDaemon(true);
        return closer;
    });

    private StatementCloser() {
    }

    /** Closes what is due every {@code period}, the first time a minute from now. */
    static StatementCloser start(BillingService billing, Duration period) {
        StatementCloser closer = new StatementCloser();
        closer.thread.scheduleWithFixedDelay(() -> close(billing), FIRST_RUN.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return closer;
    }

    private static void close(BillingService billing) {
        try {
            int closed = billing.closeDue();
            if (closed > 0) {
                LOG.info("billing: {} period statement(s) closed past billing.close_grace", closed);
            }
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log, and try at the next period.
            LOG.warn("billing: closing statements failed, tried again later: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
