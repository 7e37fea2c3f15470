package dev.netmeter.agent;

import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.usage.LedgerStore;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link UsageLedger} and the store it is written to, and the only code that changes either. Each
 * rule that keeps a count from being lost or doubled is one method here; the numbers are those of the rules in
 * docs/architecture.md ("Exactly once"). Used from the worker thread only.
 */
final class LedgerKeeper {
    /** The agent's own logger: an operator follows the agent's steps under one name. */
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);

    private final LedgerStore store;
    private final Clock clock;
    private UsageLedger ledger;
    /** Labels whose projects the ledger learned for the changes under way: none of their counters is ours yet. */
    private Set<LabelId> learning = Set.of();

    /** @throws IOException if the ledger cannot be read (it is then left as it is, for the operator) */
    LedgerKeeper(LedgerStore store, Clock clock) throws IOException {
        this.store = store;
        this.clock = clock;
        this.ledger = store.read(clock.instant());
    }

    UsageLedger ledger() {
        return ledger;
    }

    /** What a read of routers' counters gave: the counters of those read, and whether the ledger was written. */
    record Reading(Map<RouterId, Map<UsageKey, TrafficCounter>> counters, boolean written) {
    }

    /**
     * Takes the counters {@code read} from {@code routers} (those not read are missing) into the ledger, and
     * writes it. Counters the ledger has totals of but a namespace no longer holds are forgotten, so that a
     * counter made again later counts from zero.
     */
    Reading record(List<RouterMetering> routers, Map<RouterId, Map<LabelCounter, TrafficCounter>> read,
                   Optional<HostSync> desired) {
        forgetVanished(read);
        Map<RouterId, Map<UsageKey, TrafficCounter>> byRouter = new HashMap<>();
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        for (RouterMetering router : routers) {
            Map<LabelCounter, TrafficCounter> counters = read.get(router.router());
            if (counters != null) {
                Map<UsageKey, TrafficCounter> keyed = keyed(router, counters, desired);
                byRouter.put(router.router(), keyed);
                totals.putAll(keyed);
            }
        }
        ledger = ledger.measured(totals, clock.instant());
        return new Reading(byRouter, written());
    }

    /**
     * Rule 1: a namespace's counters are read, and that ledger written, before a step that deletes any of them.
     * Runs {@code step} for each of {@code routers} that {@code reading} read; it keeps the counters
     * {@code keeps} names and deletes the others, so it is not run while they are on no disk. The deleted
     * counters' totals are then forgotten.
     *
     * @return the routers whose step succeeded
     */
    List<RouterMetering> changeAfterReading(List<RouterMetering> routers, Reading reading,
                                            Function<RouterMetering, Set<LabelCounter>> keeps,
                                            Predicate<RouterMetering> step) {
        List<UsageKey> deleted = new ArrayList<>();
        List<RouterMetering> changed = new ArrayList<>();
        for (RouterMetering router : routers) {
            Map<UsageKey, TrafficCounter> counters = reading.counters().get(router.router());
            if (counters == null) {
                continue;
            }
            Set<LabelCounter> kept = keeps.apply(router);
            List<UsageKey> deleting = counters.keySet().stream()
                    .filter(key -> !kept.contains(LabelCounter.of(key))).toList();
            if ((deleting.isEmpty() || reading.written()) && step.test(router)) {
                deleted.addAll(deleting);
                changed.add(router);
            }
        }
        if (!deleted.isEmpty()) {
            ledger = ledger.forgetting(deleted);
            written();
        }
        return changed;
    }

    /**
     * Rule 2: a report is written to the ledger before it is sent. Closes the window into a report, on disk.
     *
     * @return whether it is on disk (else the window stays open, and nothing is to be sent: rule 3)
     */
    boolean closeWindow() {
        UsageLedger closed = ledger.reported(UUID.randomUUID(), clock.instant());
        try {
            store.write(closed);
            ledger = closed;
            return true;
        } catch (IOException e) {
            LOG.error("cannot write the usage ledger ({}); the report window stays open, and usage is reported once "
                    + "the ledger can be written", e.getMessage());
            return false;
        }
    }

    /** Rule 2, continued: a report is sent again under its id until acknowledged; these wait. */
    List<UsageReport> unacknowledged() {
        return ledger.unacknowledged();
    }

    /** Rule 2, continued: only the server's acknowledgement (or its refusal) takes a report out. */
    void acknowledged(UUID report) {
        ledger = ledger.acknowledged(report);
        written();
    }

    /**
     * Rule 3: when the ledger cannot be written, nothing is deleted and nothing sent. Writes the ledger; a
     * caller that gets {@code false} deletes no counter and sends no report on the strength of this ledger.
     */
    private boolean written() {
        try {
            store.write(ledger);
            return true;
        } catch (IOException e) {
            LOG.error("cannot write the usage ledger ({}); counters are not deleted and reports not sent until it "
                    + "can be", e.getMessage());
            return false;
        }
    }

    /**
     * Rule 4: a label's project and a router's namespace are on disk before its counter or table is created.
     * Returns {@code routers}, but for those the ledger on disk does not know enough about and cannot be told
     * now (a full disk): their labels' projects, since a counter names its label only and the project of a
     * label deleted before its next measure would be lost; and their namespaces, since a router that leaves
     * while the agent is down is found only there. Their tables are not changed until the ledger can be written.
     */
    List<RouterMetering> knownBeforeCreating(List<RouterMetering> routers, HostSync sync) {
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

    /** The changes {@link #knownBeforeCreating} learned labels for are made: their counters are ours now. */
    void changesMade() {
        learning = Set.of();
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

    /** The namespace of each router whose table the ledger says may exist. */
    Map<RouterId, String> tables() {
        return ledger.tables();
    }

    /** The ledger forgets the tables of {@code routers}: they are removed. */
    void forgetTables(List<RouterId> routers) {
        if (!routers.isEmpty()) {
            ledger = ledger.withoutTables(routers);
            written();
        }
    }

    /** Once the data plane is as desired, the ledger keeps the projects of the {@code counted} labels only. */
    void forgetProjectsOfLabelsOtherThan(Set<LabelId> counted) {
        UsageLedger pruned = ledger.knowingOnly(counted);
        if (pruned != ledger) {
            ledger = pruned;
            written();
        }
    }

    /**
     * Forgets the totals of counters that the routers just {@code read} no longer hold, in one pass over the
     * ledger (a host may have 100,000 counters).
     */
    private void forgetVanished(Map<RouterId, Map<LabelCounter, TrafficCounter>> read) {
        List<UsageKey> vanished = ledger.lastTotals().keySet().stream()
                .filter(key -> read.containsKey(key.router())
                        && !read.get(key.router()).containsKey(LabelCounter.of(key)))
                .toList();
        if (!vanished.isEmpty()) {
            vanished.stream().collect(Collectors.groupingBy(UsageKey::router, Collectors.counting())).forEach(
                    (router, count) -> LOG.warn("router {}: {} counter(s) read before are gone (namespace recreated, "
                            + "or the table deleted by something else); what they counted since their last read is "
                            + "lost", router, count));
            ledger = ledger.forgetting(vanished);
        }
    }

    /** The counters {@code router} holds, by usage key; those of labels whose project is unknown are left out. */
    private Map<UsageKey, TrafficCounter> keyed(RouterMetering router, Map<LabelCounter, TrafficCounter> counters,
                                                  Optional<HostSync> desired) {
        RouterId id = router.router();
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        counters.forEach((counter, total) -> project(counter.label(), desired).ifPresentOrElse(
                project -> totals.put(counter.on(id, project), total),
                () -> LOG.warn("router {}: counter of label {} belongs to no label this agent knows; not reported",
                        id, counter.label())));
        takeForeignCountersAsBaseline(id, router.namespace(), totals);
        return totals;
    }

    /**
     * The project of {@code label}: from the ledger, which learns it before the label's counter is created, or
     * from the sync data (for a counter created by an agent run whose ledger was lost).
     */
    private Optional<ProjectId> project(LabelId label, Optional<HostSync> desired) {
        return Optional.ofNullable(ledger.projects().get(label))
                .or(() -> desired.map(sync -> sync.labelProjects().get(label)));
    }
}
