package dev.netmeter.agent.usage;

import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Everything the agent knows about usage, as one value: the project of each label whose counters it may
 * have created, the namespace of each router whose table it may have made, the counter totals it last read,
 * the usage of the open report window, and the reports the server has not acknowledged yet. Each change
 * makes a new ledger.
 *
 * <p>Exactly once: usage enters the ledger only together with the totals it was computed from. The agent
 * writes the ledger to disk after every change; after a crash it goes on from the last ledger written, and
 * the kernel's counters, which never went back, give every packet since then exactly once. Usage is kept by
 * counter ({@link UsageKey}: router, label and direction). A counter names its label (and direction) only;
 * the label's project is in the ledger before the counter is created, so that usage read
 * after the label left the sync data (deleted before a measure, or while the agent was down) still has it.
 * Likewise a router's namespace is in the ledger before its table is made, so that a router that left the
 * host while the agent was down is still found: its counters are read a last time and its table removed.
 */
public record UsageLedger(Map<LabelId, ProjectId> projects, Map<RouterId, String> tables,
                          Map<UsageKey, TrafficCounter> lastTotals, Instant windowStart,
                          Map<UsageKey, Usage> window, List<UsageReport> unacknowledged) {
    public UsageLedger {
        projects = Map.copyOf(projects);
        tables = Map.copyOf(tables);
        lastTotals = Map.copyOf(lastTotals);
        Objects.requireNonNull(windowStart, "windowStart");
        window = Map.copyOf(window);
        unacknowledged = List.copyOf(unacknowledged);
    }

    /** A ledger that has read nothing yet, its window opening at {@code now}. */
    public static UsageLedger empty(Instant now) {
        return new UsageLedger(Map.of(), Map.of(), Map.of(), now, Map.of(), List.of());
    }

    /** The ledger that also knows the projects of {@code labels}. */
    public UsageLedger knowing(Map<LabelId, ProjectId> labels) {
        return new UsageLedger(with(projects, labels), tables, lastTotals, windowStart, window, unacknowledged);
    }

    /** The ledger that also knows that the routers of {@code namespaces} may have tables there. */
    public UsageLedger withTables(Map<RouterId, String> namespaces) {
        return new UsageLedger(projects, with(tables, namespaces), lastTotals, windowStart, window, unacknowledged);
    }

    /** The ledger without the tables of {@code routers}, removed from their namespaces. */
    public UsageLedger withoutTables(Collection<RouterId> routers) {
        return new UsageLedger(projects, without(tables, routers), lastTotals, windowStart, window, unacknowledged);
    }

    /**
     * The ledger that knows the projects of {@code labels} and of the labels whose totals it holds, and no
     * others: for when no other label's counter can exist any more. This same ledger if it forgets nothing
     * (the agent asks at every measure).
     */
    public UsageLedger knowingOnly(Set<LabelId> labels) {
        if (labels.containsAll(projects.keySet())) {
            return this;
        }
        Set<LabelId> kept = new HashSet<>(labels);
        lastTotals.keySet().forEach(key -> kept.add(key.label()));
        Map<LabelId, ProjectId> next = new HashMap<>(projects);
        next.keySet().retainAll(kept);
        return next.size() == projects.size() ? this
                : new UsageLedger(next, tables, lastTotals, windowStart, window, unacknowledged);
    }

    /**
     * The ledger after reading {@code totals} at {@code now}: what each counter counted since its last read
     * (all of it for a counter read the first time, or one that restarted) joins the window. Keys not read
     * now keep their last totals (their namespace may be back next time).
     */
    public UsageLedger measured(Map<UsageKey, TrafficCounter> totals, Instant now) {
        Instant at = notBeforeWhatIsRecorded(now);
        Map<UsageKey, TrafficCounter> nextTotals = new HashMap<>(lastTotals);
        Map<UsageKey, Usage> nextWindow = new HashMap<>(window);
        totals.forEach((key, total) -> {
            TrafficCounter delta = total.since(lastTotals.getOrDefault(key, TrafficCounter.ZERO));
            if (delta.packets() > 0 || delta.bytes() > 0) {
                nextWindow.merge(key, Usage.of(delta.packets(), delta.bytes(), at),
                        (old, added) -> old.plus(delta.packets(), delta.bytes(), at));
            }
            nextTotals.put(key, total);
        });
        return new UsageLedger(projects, tables, nextTotals, windowStart, nextWindow, unacknowledged);
    }

    /**
     * The ledger that takes {@code totals} as the counters' last totals without counting them: for counters
     * whose history is not this ledger's to report (see {@code LedgerKeeper}).
     */
    public UsageLedger baselined(Map<UsageKey, TrafficCounter> totals) {
        return new UsageLedger(projects, tables, with(lastTotals, totals), windowStart, window, unacknowledged);
    }

    /** The ledger without the totals of {@code keys}, whose counters were deleted after their last read. */
    public UsageLedger forgetting(Collection<UsageKey> keys) {
        return new UsageLedger(projects, tables, without(lastTotals, keys), windowStart, window, unacknowledged);
    }

    /**
     * The ledger with the window closed at {@code now} into a report named {@code id} and a new window open.
     * A window without traffic makes an empty report too: it tells the server the agent is alive. A window
     * of more rows than the server takes in one report ({@link NewUsageReport#MAX_ROWS}) is cut into
     * several, the first named {@code id} and the others by names derived from it.
     */
    public UsageLedger reported(UUID id, Instant now) {
        Instant end = notBeforeWhatIsRecorded(now);
        List<UsageReport> reports = new ArrayList<>(unacknowledged);
        List<Map.Entry<UsageKey, Usage>> rows = List.copyOf(window.entrySet());
        int part = 0;
        do {
            List<Map.Entry<UsageKey, Usage>> slice = rows.subList(part * NewUsageReport.MAX_ROWS,
                    Math.min(rows.size(), (part + 1) * NewUsageReport.MAX_ROWS));
            UUID partId = part == 0 ? id : UUID.nameUUIDFromBytes((id + "/" + part).getBytes(StandardCharsets.UTF_8));
            reports.add(new UsageReport(partId, windowStart, end,
                    slice.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
            part++;
        } while (part * NewUsageReport.MAX_ROWS < rows.size());
        return new UsageLedger(projects, tables, lastTotals, end, Map.of(), reports);
    }

    /**
     * {@code now}, or the latest time the window already records if the clock went back (a step of NTP, a
     * VM restored): times in a window never go back, so that no report is refused for a window that ends
     * before it starts, and its usage is not lost.
     */
    private Instant notBeforeWhatIsRecorded(Instant now) {
        Instant latest = windowStart;
        for (Usage usage : window.values()) {
            if (usage.lastUpdate().isAfter(latest)) {
                latest = usage.lastUpdate();
            }
        }
        return now.isBefore(latest) ? latest : now;
    }

    /** {@code map} with the entries of {@code added} put in it: a copy, the ledger's maps are immutable. */
    private static <K, V> Map<K, V> with(Map<K, V> map, Map<K, V> added) {
        Map<K, V> next = new HashMap<>(map);
        next.putAll(added);
        return next;
    }

    /** {@code map} without the entries of {@code keys}: a copy. */
    private static <K, V> Map<K, V> without(Map<K, V> map, Collection<K> keys) {
        Map<K, V> next = new HashMap<>(map);
        keys.forEach(next::remove);
        return next;
    }

    /** The ledger once the server has stored report {@code id}. */
    public UsageLedger acknowledged(UUID id) {
        return new UsageLedger(projects, tables, lastTotals, windowStart, window,
                unacknowledged.stream().filter(report -> !report.id().equals(id)).toList());
    }
}
