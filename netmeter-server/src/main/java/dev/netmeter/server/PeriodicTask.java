package dev.netmeter.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task a server runs in the background, first after {@code first} and then {@code period} after each run
 * ends, on a daemon thread of its own. A run that fails (the database is away) is logged and the next one tries
 * again: a periodic task that throws would never run again.
 */
final class PeriodicTask implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final ScheduledExecutorService thread;

    private PeriodicTask(String name) {
        thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread runner = new Thread(task, name);
            runner.setDaemon(true);
            return runner;
        });
    }

    /**
     * Runs {@code task} on a thread called {@code name}.
     *
     * @param what says in a log line what failed, e.g. "usage retention: pruning"
     */
    static PeriodicTask start(String name, String what, Duration first, Duration period, Runnable task) {
        PeriodicTask periodic = new PeriodicTask(name);
        periodic.thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed, tried again later: {}", what, e.getMessage());
            }
        }, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return periodic;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
