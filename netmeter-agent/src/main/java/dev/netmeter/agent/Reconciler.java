package dev.netmeter.agent;

import dev.netmeter.agent.FailureLog.Step;
import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.RouterId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data plane equal to the desired sync data: applies each router whose desired metering differs from
 * what it applied, switches counters that go off before deleting them (a label's, or one direction's of a label, or
 * the direction-less counter an agent before issue 17 made), and removes the routers that left. Each
 * step that deletes counters goes through the {@link LedgerKeeper}, which has them read first. It also reads
 * the counters of the routers it applied, since it alone knows which those are. Used from the worker thread
 * only.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);

    private final DataPlaneDriver driver;
    private final LedgerKeeper keeper;
    private final FailureLog failures;
    private Optional<HostSync> desired = Optional.empty();
    private final Map<RouterId, RouterMetering> applied = new HashMap<>();
    /** The counters each router's namespace holds, as last read or applied: all of them, whoever made them. */
    private final Map<RouterId, Counters> existing = new HashMap<>();
    private long reportedRevision = -1;

    Reconciler(DataPlaneDriver driver, LedgerKeeper keeper, FailureLog failures) {
        this.driver = driver;
        this.keeper = keeper;
        this.failures = failures;
        adoptTables();      // measured from the start, and removed if their router left while the agent was down
    }

    /** Makes {@code sync} the desired state and brings the data plane there. */
    void synchronize(HostSync sync) {
        desired = Optional.of(sync);
        reconcile();
    }

    /** Reads every applied router's counters into the ledger, and writes it. */
    void measure() {
        read(List.copyOf(applied.values()));
    }

    /**
     * Brings every router of the desired state to its desired metering, and removes netmeter from the
     * namespaces of routers that left (first, so that a router that moved to another namespace is counted
     * in one at a time). What fails is retried at the next measure.
     */
    void reconcile() {
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
        List<RouterMetering> removed = change(leaving, Step.REMOVE, router -> Set.of(), router -> {
            driver.remove(router.namespace());
            applied.remove(router.router());
            existing.remove(router.router());
        });
        keeper.forgetTables(removed.stream().map(RouterMetering::router).toList());
        // A router that moved to another namespace is applied there once it has left the old one, so that its
        // counters, named by router and label, count in one namespace at a time.
        List<RouterMetering> changing = keeper.knownBeforeCreating(wanted.values().stream()
                .filter(router -> !router.equals(applied.get(router.router())))
                .filter(router -> !applied.containsKey(router.router())
                        || applied.get(router.router()).namespace().equals(router.namespace()))
                .toList(), sync);
        // Counters that go first stop counting, kept (an update switches every rule at once), and are read a last
        // time after that: what they counted while the change was being made is not lost. A table this run did
        // not make is read first, so that its counters are known (an older agent's direction-less ones too).
        read(changing.stream().filter(router -> applied.containsKey(router.router())
                && isOfUnknownContent(applied.get(router.router())) && !existing.containsKey(router.router()))
                .toList());
        List<RouterMetering> silencing = changing.stream().map(this::silencingCountersThatGo)
                .flatMap(Optional::stream).toList();
        Set<RouterId> silenced = change(silencing, Step.SILENCE_LABELS_THAT_GO, RouterMetering::counters, this::apply)
                .stream().map(RouterMetering::router).collect(Collectors.toSet());
        Set<RouterId> notSilenced = silencing.stream().map(RouterMetering::router)
                .filter(router -> !silenced.contains(router)).collect(Collectors.toSet());
        change(changing.stream().filter(router -> !notSilenced.contains(router.router())).toList(), Step.APPLY,
                RouterMetering::counters, this::apply);
        keeper.changesMade();
        if (applied.equals(wanted)) {
            keeper.forgetProjectsOfLabelsOtherThan(applied.values().stream()
                    .flatMap(router -> labels(router).stream()).collect(Collectors.toSet()));
            if (reportedRevision != sync.revision()) {
                reportedRevision = sync.revision();
                LOG.info("sync revision {} applied: {} router(s)", sync.revision(), applied.size());
            }
        }
    }

    private void apply(RouterMetering router) throws DataPlaneException {
        existing.remove(router.router());       // until it succeeds: a failed apply may have changed some
        driver.apply(router);
        applied.put(router.router(), router);
        existing.put(router.router(), new Counters(router.namespace(), router.counters()));
    }

    /**
     * If {@code desired} drops counters the router's namespace holds: the desired metering of the labels that
     * are there already, each keeping its counters that go idle (kept, counting nothing), and the labels that
     * go with no rules, their counters idle. Labels that are new wait for the change itself, so that their
     * counters are made after the ledger's read, as always; a label that stays gets its desired rules, so that a
     * counter of a direction new to it (or replacing an older agent's direction-less one) counts from the same
     * switch that stops the counter it replaces.
     */
    private Optional<RouterMetering> silencingCountersThatGo(RouterMetering desired) {
        RouterMetering current = applied.get(desired.router());
        if (current == null || !current.namespace().equals(desired.namespace())) {
            return Optional.empty();
        }
        Set<LabelCounter> going = new HashSet<>(existingCounters(current));
        going.removeAll(desired.counters());
        if (going.isEmpty()) {
            return Optional.empty();
        }
        Set<LabelId> there = new HashSet<>(labels(current));
        existingCounters(current).forEach(counter -> there.add(counter.label()));
        List<LabelMetering> labels = new ArrayList<>();
        Set<LabelId> listed = new HashSet<>();
        for (LabelMetering label : desired.labels()) {
            if (there.contains(label.label()) && listed.add(label.label())) {
                labels.add(new LabelMetering(label.label(), label.rules(), idle(going, label.label())));
            }
        }
        going.stream().map(LabelCounter::label).distinct().sorted().filter(listed::add)
                .forEach(label -> labels.add(new LabelMetering(label, List.of(), idle(going, label))));
        return Optional.of(new RouterMetering(desired.router(), desired.namespace(), desired.externalInterface(),
                labels));
    }

    private static Set<LabelCounter> idle(Set<LabelCounter> going, LabelId label) {
        return going.stream().filter(counter -> counter.label().equals(label)).collect(Collectors.toSet());
    }

    /** The counters in the namespace of {@code current}: as last read or applied there, else as applied. */
    private Set<LabelCounter> existingCounters(RouterMetering current) {
        Counters known = existing.get(current.router());
        return known != null && known.namespace().equals(current.namespace()) ? known.counters() : current.counters();
    }

    private static boolean isOfUnknownContent(RouterMetering router) {
        return router.externalInterface().isEmpty();
    }

    /**
     * Takes as applied, with what they hold unknown, the tables the ledger knows of that this run has not applied:
     * made by an earlier run, or maybe by an apply that failed here (a killed nft may have committed). The next
     * reconcile then applies each again, or reads it a last time and removes it if its router left; a router
     * that moved waits for that removal, so that no table is left behind uncounted.
     */
    private void adoptTables() {
        keeper.tables().forEach((router, namespace) ->
                applied.putIfAbsent(router, tableOfUnknownContent(router, namespace)));
    }

    /**
     * A router whose table may be in {@code namespace}, with what it holds unknown: it differs from every desired
     * metering (whose external interface is never empty), so it is applied again, or removed.
     */
    private static RouterMetering tableOfUnknownContent(RouterId router, String namespace) {
        return new RouterMetering(router, namespace, "", List.of());
    }

    /**
     * Runs {@code step} for each of {@code routers} after reading their counters into the ledger (rule 1, in
     * {@link LedgerKeeper#changeAfterReading}); it keeps the counters {@code keeps} names.
     *
     * @return the routers whose step succeeded
     */
    private List<RouterMetering> change(List<RouterMetering> routers, Step what,
                                        Function<RouterMetering, Set<LabelCounter>> keeps, RouterStep step) {
        if (routers.isEmpty()) {
            return List.of();
        }
        return keeper.changeAfterReading(routers, read(routers), keeps, router -> failures.attempt(
                new FailureLog.Key(router.router(), what, router.namespace()), () -> step.run(router)));
    }

    /**
     * Reads the counters of {@code routers} (each in its namespace) into the ledger, and writes it. A router
     * whose applied table lost counters is applied again at the next reconcile.
     */
    private LedgerKeeper.Reading read(List<RouterMetering> routers) {
        Map<RouterId, Map<LabelCounter, TrafficCounter>> read = new LinkedHashMap<>();
        for (RouterMetering router : routers) {
            Map<LabelCounter, TrafficCounter> counters = new HashMap<>();
            if (failures.attempt(new FailureLog.Key(router.router(), Step.READ_COUNTERS, router.namespace()),
                    () -> counters.putAll(driver.readCounters(router.namespace())))) {
                read.put(router.router(), counters);
                existing.put(router.router(), new Counters(router.namespace(), counters.keySet()));
                applyAgainIfCountersAreMissing(router, counters.keySet());
            }
        }
        return keeper.record(routers, read, desired);
    }

    private void applyAgainIfCountersAreMissing(RouterMetering router, Set<LabelCounter> counted) {
        RouterMetering current = applied.get(router.router());
        if (current != null && current.namespace().equals(router.namespace())
                && !counted.containsAll(current.counters())) {
            LOG.warn("router {}: netmeter's counters are missing from namespace {}; applying its metering again",
                    router.router(), router.namespace());
            applied.remove(router.router());
        }
    }

    private static Set<LabelId> labels(RouterMetering router) {
        return router.labels().stream().map(LabelMetering::label).collect(Collectors.toSet());
    }

    /** The counters a namespace holds. */
    private record Counters(String namespace, Set<LabelCounter> counters) {
        Counters {
            counters = Set.copyOf(counters);
        }
    }

    @FunctionalInterface
    private interface RouterStep {
        void run(RouterMetering router) throws DataPlaneException;
    }
}
