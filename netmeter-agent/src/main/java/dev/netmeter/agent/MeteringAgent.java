package dev.netmeter.agent;

import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.agent.usage.LedgerStore;
import dev.netmeter.agent.usage.UsageLedger;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on one router host: keeps each of its routers' data plane equal to what the server says, reads
 * the counters every measure interval into the {@link UsageLedger}, and reports the usage every report
 * interval until the server has stored it.
 *
 * <p>Two threads. The poller ({@link SyncPoller}) long-polls the server for the host's sync data and hands
 * each answer to the worker. The worker does everything else, one step at a time: it reconciles the data plane
 * with the latest answer ({@link Reconciler}), measures, and reports ({@link Reporter}), so that no two of
 * these see the ledger or a namespace at once. This class only wires the parts and schedules the steps.
 *
 * <p>No count is lost or counted twice: the {@link LedgerKeeper} holds the rules, one method each. A
 * namespace's counters are read, and the ledger written, before a change that deletes any of them; a report is
 * written to the ledger before it is sent, and sent again under its id until the server acknowledges it. If the
 * ledger cannot be written (a full disk), counters are not deleted and reports are not sent until it can; the
 * kernel's counters keep counting meanwhile.
 */
public final class MeteringAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(60);

    private final AgentSettings settings;
    private final ScheduledExecutorService worker;
    private final Thread poller;
    /** The newest sync answer the worker has not taken yet: a slow worker skips answers that newer ones replace. */
    private final AtomicReference<HostSync> latestSync = new AtomicReference<>();
    // The worker's parts: touched by the worker thread only (or by the caller of the step methods in tests).
    private final LedgerKeeper keeper;
    private final Reconciler reconciler;
    private final Reporter reporter;

    /**
     * An agent that has read its ledger; {@link #start} sets it going.
     *
     * @throws IOException if the ledger cannot be read (it is then left as it is, for the operator)
     */
    public MeteringAgent(AgentSettings settings, ServerClient server, DataPlaneDriver driver, LedgerStore store,
                         Clock clock) throws IOException {
        this.settings = settings;
        this.keeper = new LedgerKeeper(store, clock);
        this.reconciler = new Reconciler(driver, keeper, new FailureLog(settings.measureInterval()));
        this.reporter = new Reporter(server, keeper, settings.host(), settings.measureInterval());
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "netmeter-agent"));
        // Each agent draws its own delays, so that agents cut off together do not come back together.
        Backoff backoff = new Backoff(FIRST_BACKOFF, LONGEST_BACKOFF, RandomGenerator.getDefault());
        SyncPoller polling = new SyncPoller(server, settings, backoff, Thread::sleep, this::handOver);
        this.poller = new Thread(guarded("sync poll", polling), "netmeter-agent-sync");
    }

    /** Starts following the server and metering. */
    public void start() {
        long measure = settings.measureInterval().toMillis();
        long report = settings.reportInterval().toMillis();
        // Fixed delays: after a stall (a slow nft, a slow server) the steps go on, rather than catch up in a burst.
        worker.scheduleWithFixedDelay(guarded("measure", this::measureAndRetry), measure, measure,
                TimeUnit.MILLISECONDS);
        worker.scheduleWithFixedDelay(guarded("report", this::report), report, report, TimeUnit.MILLISECONDS);
        poller.start();
        LOG.info("metering agent for host {} started: measuring every {}, reporting every {}; {} report(s) not yet "
                + "acknowledged", settings.host(), settings.measureInterval(), settings.reportInterval(),
                keeper.unacknowledged().size());
    }

    /**
     * Stops: reads the counters a last time into the ledger, so that a restart goes on from there. The open
     * window is reported by the next run.
     */
    @Override
    public void close() {
        poller.interrupt();
        worker.execute(guarded("final measure", this::measure));
        worker.shutdown();
        try {
            poller.join(Duration.ofSeconds(10));
            if (!worker.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the worker did not finish within 60 s; the ledger holds the state of its last step");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a sync step for {@code sync}, unless one is queued already: that one takes the newest answer. */
    private void handOver(HostSync sync) {
        if (latestSync.getAndSet(sync) == null) {
            worker.execute(guarded("sync", () -> synchronize(latestSync.getAndSet(null))));
        }
    }

    // ---- the worker's steps (package-private: tests call them directly, without the threads)

    /** Makes {@code sync} the desired state and brings the data plane there. */
    void synchronize(HostSync sync) {
        reconciler.synchronize(sync);
    }

    /**
     * One measure tick: counters into the ledger; then retries what failed before, including reports not
     * yet acknowledged (after an outage, or left by the previous run).
     */
    void measureAndRetry() {
        measure();
        reconciler.reconcile();
        reporter.retry();
    }

    /** Reads every applied router's counters into the ledger, and writes it. */
    void measure() {
        reconciler.measure();
    }

    /**
     * Closes the report window into a report, and sends every report not yet acknowledged. While the server
     * cannot be reached, the window stays open instead.
     */
    void report() {
        reporter.report();
    }

    /** The ledger as it stands. */
    UsageLedger ledger() {
        return keeper.ledger();
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A periodic task that throws is never run again: log and go on instead. (The poll loop catches
                // its own; one that escapes it ends the thread, and is logged here.)
                LOG.error("agent step '{}' failed", what, e);
            } catch (Error e) {
                // Out of memory, or worse: the steps after this one cannot be trusted to run. The ledger on disk is
                // whole, so stop at once (no shutdown hook: it would wait for this thread) and let the service
                // manager start a fresh agent, which goes on from the ledger.
                LOG.error("agent step '{}' failed with {}; stopping so that the agent is restarted", what, e, e);
                Runtime.getRuntime().halt(70);
            }
        };
    }
}
