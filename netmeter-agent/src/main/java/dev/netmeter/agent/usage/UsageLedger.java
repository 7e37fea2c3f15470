package dev.netmeter.agent.usage;

import dev.netmeter.agent.driver.TrafficCounter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything the agent knows about usage, as one value: the counter totals it last read, the usage of the
 * open report window, and the reports the server has not acknowledged yet. Each change makes a new ledger.
 *
 * <p>Exactly once: usage enters the ledger only together with the totals it was computed from. The agent
 * writes the ledger to disk after every change; after a crash it goes on from the last ledger written, and
 * the kernel's counters, which never went back, give every packet since then exactly once.
 */
public record UsageLedger(Map<UsageKey, TrafficCounter> lastTotals, Instant windowStart, Map<UsageKey, Usage> window,
                          List<UsageReport> unacknowledged) {
    public UsageLedger {
        lastTotals = Map.copyOf(lastTotals);
        Objects.requireNonNull(windowStart, "windowStart");
        window = Map.copyOf(window);
        unacknowledged = List.copyOf(unacknowledged);
    }

    /** A ledger that has read nothing yet, its window opening at {@code now}. */
    public static UsageLedger empty(Instant now) {
        return new UsageLedger(Map.of(), now, Map.of(), List.of());
    }

    /**
     * The ledger after reading {@code totals} at {@code now}: what each counter counted since its last read
     * (all of it for a counter read the first time, or one that restarted) joins the window. Keys not read
     * now keep their last totals (their namespace may be back next time).
     */
    public UsageLedger measured(Map<UsageKey, TrafficCounter> totals, Instant now) {
        Map<UsageKey, TrafficCounter> nextTotals = new HashMap<>(lastTotals);
        Map<UsageKey, Usage> nextWindow = new HashMap<>(window);
        totals.forEach((key, total) -> {
            TrafficCounter delta = total.since(lastTotals.getOrDefault(key, TrafficCounter.ZERO));
            if (delta.packets() > 0 || delta.bytes() > 0) {
                nextWindow.merge(key, Usage.of(delta, now), (old, added) -> old.plus(delta, now));
            }
            nextTotals.put(key, total);
        });
        return new UsageLedger(nextTotals, windowStart, nextWindow, unacknowledged);
    }

    /** The ledger without the totals of {@code keys}, whose counters were deleted after their last read. */
    public UsageLedger forgetting(Collection<UsageKey> keys) {
        Map<UsageKey, TrafficCounter> nextTotals = new HashMap<>(lastTotals);
        keys.forEach(nextTotals::remove);
        return new UsageLedger(nextTotals, windowStart, window, unacknowledged);
    }

    /**
     * The ledger with the window closed at {@code now} into a report named {@code id} (none if nothing was
     * counted) and a new window open.
     */
    public UsageLedger reported(UUID id, Instant now) {
        List<UsageReport> reports = new ArrayList<>(unacknowledged);
        if (!window.isEmpty()) {
            reports.add(new UsageReport(id, windowStart, now, window));
        }
        return new UsageLedger(lastTotals, now, Map.of(), reports);
    }

    /** The ledger once the server has stored report {@code id}. */
    public UsageLedger acknowledged(UUID id) {
        return new UsageLedger(lastTotals, windowStart, window,
                unacknowledged.stream().filter(report -> !report.id().equals(id)).toList());
    }
}
