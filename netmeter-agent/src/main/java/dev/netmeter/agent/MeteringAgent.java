package dev.netmeter.agent;

import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.agent.usage.LedgerStore;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on one router host: keeps each of its routers' data plane equal to what the server says, reads
 * the counters every measure interval into the {@link UsageLedger}, and reports the usage every report
 * interval until the server has stored it.
 *
 * <p>Two threads. The poller long-polls the server for the host's sync data (a full read at start and after
 * any error) and hands each answer to the worker. The worker does everything else, one step at a time: it
 * reconciles the data plane with the latest answer, measures, and reports, so that no two of these see the
 * ledger or a namespace at once.
 *
 * <p>No count is lost or counted twice: a namespace's counters are read, and the ledger written, before a
 * change that deletes any of them; a report is written to the ledger before it is sent, and sent again
 * under its id until the server acknowledges it. If the ledger cannot be written (a full disk), counters
 * are not deleted and reports are not sent until it can; the kernel's counters keep counting meanwhile.
 */
public final class MeteringAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(60);

    private final AgentSettings settings;
    private final ServerClient server;
    private final DataPlaneDriver driver;
    private final LedgerStore store;
    private final Clock clock;
    private final ScheduledExecutorService worker;
    private final Thread poller;
    /** The newest sync answer the worker has not taken yet: a slow worker skips answers that newer ones replace. */
    private final AtomicReference<HostSync> latestSync = new AtomicReference<>();

    // Worker state: touched by the worker thread only (or by the caller of the step methods in tests).
    private UsageLedger ledger;
    private Optional<HostSync> desired = Optional.empty();
    private final Map<RouterId, RouterMetering> applied = new HashMap<>();
    /** What failed, by router and step, as last logged. */
    private final Map<String, String> failing = new HashMap<>();
    private long reportedRevision = -1;
    /** Labels whose projects the ledger learned for the changes under way: none of their counters is ours yet. */
    private Set<LabelId> learning = Set.of();
    private boolean serverReachable = true;

    /**
     * An agent that has read its ledger; {@link #start} sets it going.
     *
     * @throws IOException if the ledger cannot be read (it is then left as it is, for the operator)
     */
    public MeteringAgent(AgentSettings settings, ServerClient server, DataPlaneDriver driver, LedgerStore store,
                         Clock clock) throws IOException {
        this.settings = settings;
        this.server = server;
        this.driver = driver;
        this.store = store;
        this.clock = clock;
        this.ledger = store.read(clock.instant());
        adoptTables();      // measured from the start, and removed if their router left while the agent was down
        this.worker = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "netmeter-agent"));
        this.poller = new Thread(guarded("sync poll", this::poll), "netmeter-agent-sync");
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
                ledger.unacknowledged().size());
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

    // ---- the poller thread

    private void poll() {
        Optional<Long> since = Optional.empty();
        Duration backoff = Duration.ofSeconds(1);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Optional<HostSync> answer = server.sync(since, settings.pollWait());
                if (answer.isPresent()) {
                    HostSync sync = answer.get();
                    if (latestSync.getAndSet(sync) == null) {     // else the step already queued takes this one
                        worker.execute(guarded("sync", () -> synchronize(latestSync.getAndSet(null))));
                    }
                    since = Optional.of(sync.revision());
                }
                backoff = Duration.ofSeconds(1);
            } catch (RejectedExecutionException e) {
                return;     // closing
            } catch (InterruptedException e) {
                return;
            } catch (ServerClient.CredentialsRefusedException e) {
                // Retried at the slowest pace rather than given up: the counters keep counting meanwhile, and an
                // operator who fixes the token on the server's side need not restart every agent.
                LOG.error("{}; the sync is retried every {} s meanwhile, and the counters keep counting",
                        credentialsRefused(e), LONGEST_BACKOFF.toSeconds());
                since = Optional.empty();
                backoff = LONGEST_BACKOFF;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("reading sync data failed ({}); full resync in {} s", e.getMessage(), backoff.toSeconds());
                since = Optional.empty();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : doubled;
            }
        }
    }

    // ---- the worker's steps (package-private: tests call them directly, without the threads)

    /** Makes {@code sync} the desired state and brings the data plane there. */
    void synchronize(HostSync sync) {
        desired = Optional.of(sync);
        reconcile();
    }

    /**
     * One measure tick: counters into the ledger; then retries what failed before, including reports not
     * yet acknowledged (after an outage, or left by the previous run).
     */
    void measureAndRetry() {
        measure();
        reconcile();
        if (!ledger.unacknowledged().isEmpty()) {
            sendReports();
        }
    }

    /** Reads every applied router's counters into the ledger, and writes it. */
    void measure() {
        measure(List.copyOf(applied.values()));
    }

    /** What a read of routers' counters gave: the counters of those read, and whether the ledger was written. */
    private record Measured(Map<RouterId, Map<UsageKey, TrafficCounter>> counters, boolean written) {
    }

    /**
     * Reads the counters of {@code routers} (each in its namespace) into the ledger, and writes it. Counters the
     * ledger has totals of but a namespace no longer holds are forgotten, so that a counter made again later
     * counts from zero; a router whose applied table lost counters is applied again at the next reconcile.
     */
    private Measured measure(List<RouterMetering> routers) {
        Map<RouterId, Map<LabelId, TrafficCounter>> read = new LinkedHashMap<>();
        for (RouterMetering router : routers) {
            Map<LabelId, TrafficCounter> counters = new HashMap<>();
            if (attempt(router.router(), "read counters in " + router.namespace(),
                    () -> counters.putAll(driver.readCounters(router.namespace())))) {
                read.put(router.router(), counters);
            }
        }
        forgetVanished(read);
        Map<RouterId, Map<UsageKey, TrafficCounter>> byRouter = new HashMap<>();
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        for (RouterMetering router : routers) {
            Map<LabelId, TrafficCounter> counters = read.get(router.router());
            if (counters != null) {
                Map<UsageKey, TrafficCounter> keyed = keyed(router, counters);
                byRouter.put(router.router(), keyed);
                totals.putAll(keyed);
            }
        }
        ledger = ledger.measured(totals, clock.instant());
        return new Measured(byRouter, write());
    }

    /**
     * Closes the report window into a report, and sends every report not yet acknowledged. While the server
     * cannot be reached, the window stays open instead.
     */
    void report() {
        if (!serverReachable) {
            sendReports();
            if (!serverReachable) {
                // The window stays open through the outage: one report for all of it, its rows no more than the
                // counters, rather than a report more in the ledger every interval.
                return;
            }
        }
        UsageLedger closed = ledger.reported(UUID.randomUUID(), clock.instant());
        try {
            store.write(closed);
            ledger = closed;
        } catch (IOException e) {
            LOG.error("cannot write the usage ledger ({}); the report window stays open, and usage is reported once "
                    + "the ledger can be written", e.getMessage());
            return;
        }
        sendReports();
    }

    /** The ledger as it stands. */
    UsageLedger ledger() {
        return ledger;
    }

    private void sendReports() {
        for (UsageReport report : ledger.unacknowledged()) {
            try {
                ServerClient.Acknowledgement answer = server.submit(report);
                LOG.info("usage report {} acknowledged ({}): {}", report.id(), answer, summary(report));
            } catch (ServerClient.ReportRejectedException e) {
                LOG.error("the server refused usage report {} and it is dropped: {} ({}); its rows are logged at "
                        + "DEBUG", report.id(), summary(report), e.getMessage());
                LOG.debug("refused usage report {}: {}", report.id(), report);
            } catch (IOException e) {
                if (serverReachable) {
                    String why = e instanceof ServerClient.CredentialsRefusedException refused
                            ? credentialsRefused(refused) : e.getMessage();
                    LOG.warn("reporting usage failed ({}); {} report(s) kept in the ledger, retried every {} s",
                            why, ledger.unacknowledged().size(), settings.measureInterval().toSeconds());
                }
                serverReachable = false;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ledger = ledger.acknowledged(report.id());
            write();
        }
        if (!serverReachable) {
            LOG.info("reporting usage works again");
        }
        serverReachable = true;
    }

    /** A report in one line for the log: rows, packets, bytes and its window. */
    private static String summary(UsageReport report) {
        return "%d row(s), %d packet(s), %d byte(s) from %s to %s".formatted(report.usage().size(),
                report.usage().values().stream().mapToLong(Usage::packets).sum(),
                report.usage().values().stream().mapToLong(Usage::bytes).sum(), report.windowStart(),
                report.windowEnd());
    }

    /** What an operator reads when the server refuses the agent's token: what is wrong, and the fix. */
    private String credentialsRefused(ServerClient.CredentialsRefusedException e) {
        return ("the server refuses this agent's token (%s). Give the agent a valid token with the agent role: on "
                + "the server, 'netmeter token create --project services --user agent-%s --role agent' (with "
                + "Keystone, a token of a user holding the agent role), then restart the agent with it in "
                + "NETMETER_AGENT_TOKEN").formatted(e.getMessage(), settings.host());
    }

    /**
     * Brings every router of the desired state to its desired metering, and removes netmeter from the
     * namespaces of routers that left (first, so that a router that moved to another namespace is counted
     * in one at a time). What fails is retried at the next measure.
     */
    private void reconcile() {
        if (desired.isEmpty()) {
            return;
        }
        HostSync sync = desired.get();
        adoptTables();
        Map<RouterId, RouterMetering> wanted = sync.routers().stream()
                .collect(Collectors.toMap(RouterMetering::router, router -> router, (a, b) -> a, LinkedHashMap::new));
        List<RouterMetering> leaving = applied.values().stream()
                .filter(router -> !wanted.containsKey(router.router())
                        || !wanted.get(router.router()).namespace().equals(router.namespace()))
                .toList();
        List<RouterMetering> removed = change(leaving, "remove from", router -> Set.of(), router -> {
            driver.remove(router.namespace());
            applied.remove(router.router());
        });
        forgetTables(removed.stream().map(RouterMetering::router).toList());
        // A router that moved to another namespace is applied there once it has left the old one, so that its
        // counters, named by router and label, count in one namespace at a time.
        List<RouterMetering> changing = withLedgerKnowing(wanted.values().stream()
                .filter(router -> !router.equals(applied.get(router.router())))
                .filter(router -> !applied.containsKey(router.router())
                        || applied.get(router.router()).namespace().equals(router.namespace()))
                .toList(), sync);
        // Labels that go first stop counting, their counters kept (an update switches every rule at once), and
        // are read a last time after that: what they counted while the change was being made is not lost.
        List<RouterMetering> silencing = changing.stream().map(this::silencingLabelsThatGo).flatMap(Optional::stream)
                .toList();
        Set<RouterId> silenced = change(silencing, "stop counting labels that go in", MeteringAgent::labels,
                router -> {
                    driver.apply(router);
                    applied.put(router.router(), router);
                }).stream().map(RouterMetering::router).collect(Collectors.toSet());
        Set<RouterId> notSilenced = silencing.stream().map(RouterMetering::router)
                .filter(router -> !silenced.contains(router)).collect(Collectors.toSet());
        change(changing.stream().filter(router -> !notSilenced.contains(router.router())).toList(), "apply in",
                MeteringAgent::labels, router -> {
                    driver.apply(router);
                    applied.put(router.router(), router);
                });
        learning = Set.of();
        if (applied.equals(wanted)) {
            forgetProjectsOfLabelsGone();
            if (reportedRevision != sync.revision()) {
                reportedRevision = sync.revision();
                LOG.info("sync revision {} applied: {} router(s)", sync.revision(), applied.size());
            }
        }
    }

    /**
     * If {@code desired} drops labels of the metering applied in the same namespace: that metering with the
     * rules of the labels that stay as desired, and the labels that go without rules (counters kept, counting
     * nothing). Labels that are new wait for the change itself, so that their counters are made after the
     * ledger's read, as always.
     */
    private Optional<RouterMetering> silencingLabelsThatGo(RouterMetering desired) {
        RouterMetering current = applied.get(desired.router());
        if (current == null || !current.namespace().equals(desired.namespace())
                || labels(desired).containsAll(labels(current))) {
            return Optional.empty();
        }
        Map<LabelId, LabelMetering> staying = desired.labels().stream()
                .collect(Collectors.toMap(LabelMetering::label, label -> label));
        return Optional.of(new RouterMetering(desired.router(), desired.namespace(), desired.externalInterface(),
                current.labels().stream().map(label -> staying.getOrDefault(label.label(),
                        new LabelMetering(label.label(), List.of()))).toList()));
    }

    /**
     * {@code routers}, but for those the ledger on disk does not know enough about and cannot be told now (a
     * full disk): their labels' projects, since a counter names its label only and the project of a label
     * deleted before its next measure would be lost; and their namespaces, since a router that leaves while
     * the agent is down is found only there. Their tables are not changed until the ledger can be written.
     */
    private List<RouterMetering> withLedgerKnowing(List<RouterMetering> routers, HostSync sync) {
        Map<LabelId, ProjectId> unknownLabels = new HashMap<>();
        Map<RouterId, String> unknownTables = new HashMap<>();
        routers.forEach(router -> {
            if (!router.namespace().equals(ledger.tables().get(router.router()))) {
                unknownTables.put(router.router(), router.namespace());
            }
            router.labels().forEach(label -> {
                ProjectId project = sync.labelProjects().get(label.label());
                if (project != null && !project.equals(ledger.projects().get(label.label()))) {
                    unknownLabels.put(label.label(), project);
                }
            });
        });
        if (unknownLabels.isEmpty() && unknownTables.isEmpty()) {
            return routers;
        }
        UsageLedger knowing = ledger.knowing(unknownLabels).withTables(unknownTables);
        try {
            store.write(knowing);
            ledger = knowing;
            learning = Set.copyOf(unknownLabels.keySet());
            return routers;
        } catch (IOException e) {
            LOG.error("cannot write the usage ledger ({}); routers new to it, or with new labels, are changed once "
                    + "it can be", e.getMessage());
            return routers.stream().filter(router -> !unknownTables.containsKey(router.router())
                    && router.labels().stream().noneMatch(label -> unknownLabels.containsKey(label.label()))).toList();
        }
    }

    /**
     * Takes as applied, with what they hold unknown, the tables the ledger knows of that this run has not applied:
     * made by an earlier run, or maybe by an apply that failed here (a killed nft may have committed). The next
     * reconcile then applies each again, or reads it a last time and removes it if its router left; a router
     * that moved waits for that removal, so that no table is left behind uncounted.
     */
    private void adoptTables() {
        ledger.tables().forEach((router, namespace) ->
                applied.putIfAbsent(router, tableOfUnknownContent(router, namespace)));
    }

    /** The ledger forgets the tables of {@code routers}: they are removed. */
    private void forgetTables(List<RouterId> routers) {
        if (!routers.isEmpty()) {
            ledger = ledger.withoutTables(routers);
            write();
        }
    }

    /**
     * A router whose table may be in {@code namespace}, with what it holds unknown: it differs from every desired
     * metering (whose external interface is never empty), so it is applied again, or removed.
     */
    private static RouterMetering tableOfUnknownContent(RouterId router, String namespace) {
        return new RouterMetering(router, namespace, "", List.of());
    }

    /** Once the data plane is as desired, the ledger keeps the projects of labels that still have counters. */
    private void forgetProjectsOfLabelsGone() {
        Set<LabelId> counted = applied.values().stream().flatMap(router -> labels(router).stream())
                .collect(Collectors.toSet());
        UsageLedger pruned = ledger.knowingOnly(counted);
        if (pruned != ledger) {
            ledger = pruned;
            write();
        }
    }

    /**
     * Runs {@code step} ({@code what} it does, for the log) for each of {@code routers}; it keeps the counters of
     * the labels {@code keeps} names and deletes the others. The counters are read into the ledger first; a
     * router whose counters cannot be read is not changed, nor one whose step would delete counters before
     * that ledger is written. The deleted counters' totals are then forgotten.
     *
     * @return the routers whose step succeeded
     */
    private List<RouterMetering> change(List<RouterMetering> routers, String what,
                                        Function<RouterMetering, Set<LabelId>> keeps, RouterStep step) {
        if (routers.isEmpty()) {
            return List.of();
        }
        Measured measured = measure(routers);
        Map<RouterId, Map<UsageKey, TrafficCounter>> read = measured.counters();
        boolean written = measured.written();
        List<UsageKey> deleted = new ArrayList<>();
        List<RouterMetering> changed = new ArrayList<>();
        for (RouterMetering router : routers) {
            if (!read.containsKey(router.router())) {
                continue;
            }
            Set<LabelId> kept = keeps.apply(router);
            List<UsageKey> deleting = read.get(router.router()).keySet().stream()
                    .filter(key -> !kept.contains(key.label())).toList();
            if (!deleting.isEmpty() && !written) {
                continue;
            }
            if (attempt(router.router(), what + " " + router.namespace(), () -> step.run(router))) {
                deleted.addAll(deleting);
                changed.add(router);
            }
        }
        if (!deleted.isEmpty()) {
            ledger = ledger.forgetting(deleted);
            write();
        }
        return changed;
    }

    /**
     * Forgets the totals of counters that the routers just {@code read} no longer hold, in one pass over the
     * ledger (a host may have 100,000 counters).
     */
    private void forgetVanished(Map<RouterId, Map<LabelId, TrafficCounter>> read) {
        List<UsageKey> vanished = ledger.lastTotals().keySet().stream()
                .filter(key -> read.containsKey(key.router()) && !read.get(key.router()).containsKey(key.label()))
                .toList();
        if (!vanished.isEmpty()) {
            vanished.stream().collect(Collectors.groupingBy(UsageKey::router, Collectors.counting())).forEach(
                    (router, count) -> LOG.warn("router {}: {} counter(s) read before are gone (namespace recreated, "
                            + "or the table deleted by something else); what they counted since their last read is "
                            + "lost", router, count));
            ledger = ledger.forgetting(vanished);
        }
    }

    /**
     * The counters {@code router} holds, by usage key; a router whose applied table lost counters is marked to
     * be applied again.
     */
    private Map<UsageKey, TrafficCounter> keyed(RouterMetering router, Map<LabelId, TrafficCounter> counters) {
        RouterId id = router.router();
        RouterMetering current = applied.get(id);
        if (current != null && current.namespace().equals(router.namespace())
                && !counters.keySet().containsAll(labels(current))) {
            LOG.warn("router {}: netmeter's counters are missing from namespace {}; applying its metering again",
                    id, router.namespace());
            applied.remove(id);
        }
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        counters.forEach((label, counter) -> project(label).ifPresentOrElse(
                project -> totals.put(new UsageKey(id, label, project), counter),
                () -> LOG.warn("router {}: counter of label {} belongs to no label this agent knows; not reported",
                        id, label)));
        takeForeignCountersAsBaseline(id, router.namespace(), totals);
        return totals;
    }

    /**
     * Counters this ledger never knew of (neither totals nor the label's project, which it learns before making
     * a counter, or learns just now for a counter it is about to make) were made by an agent whose ledger is
     * gone: moved aside, lost with a disk, or never on this host. What they hold was reported by that agent,
     * or is lost; counting it again would bill it twice, so their totals now are where counting starts.
     */
    private void takeForeignCountersAsBaseline(RouterId router, String namespace,
                                               Map<UsageKey, TrafficCounter> totals) {
        Map<UsageKey, TrafficCounter> foreign = new HashMap<>();
        totals.forEach((key, total) -> {
            if (!ledger.lastTotals().containsKey(key)
                    && (!ledger.projects().containsKey(key.label()) || learning.contains(key.label()))) {
                foreign.put(key, total);
            }
        });
        if (!foreign.isEmpty()) {
            LOG.warn("router {}: {} counter(s) in namespace {} were made by an agent whose usage ledger this one has "
                    + "not; counting starts from what they hold now ({} packets), not from zero", router,
                    foreign.size(), namespace, foreign.values().stream().mapToLong(TrafficCounter::packets).sum());
            ledger = ledger.baselined(foreign);
        }
    }

    private static Set<LabelId> labels(RouterMetering router) {
        return router.labels().stream().map(LabelMetering::label).collect(Collectors.toSet());
    }

    /**
     * The project of {@code label}: from the ledger, which learns it before the label's counter is created, or
     * from the sync data (for a counter created by an agent run whose ledger was lost).
     */
    private Optional<ProjectId> project(LabelId label) {
        return Optional.ofNullable(ledger.projects().get(label))
                .or(() -> desired.map(sync -> sync.labelProjects().get(label)));
    }

    /** Runs one data plane step; logs its failure once (until it succeeds again) and says whether it worked. */
    private boolean attempt(RouterId router, String what, DataPlaneStep step) {
        try {
            step.run();
            if (failing.remove(router + " " + what) != null) {
                LOG.info("router {}: {} works again", router, what);
            }
            return true;
        } catch (DataPlaneException e) {
            String message = e.getMessage();
            if (!message.equals(failing.put(router + " " + what, message))) {
                LOG.warn("router {}: {} failed, retried every {} s: {}", router, what,
                        settings.measureInterval().toSeconds(), message);
            }
            return false;
        }
    }

    private boolean write() {
        try {
            store.write(ledger);
            return true;
        } catch (IOException e) {
            LOG.error("cannot write the usage ledger ({}); counters are not deleted and reports not sent until it "
                    + "can be", e.getMessage());
            return false;
        }
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

    @FunctionalInterface
    private interface DataPlaneStep {
        void run() throws DataPlaneException;
    }

    @FunctionalInterface
    private interface RouterStep {
        void run(RouterMetering router) throws DataPlaneException;
    }
}
