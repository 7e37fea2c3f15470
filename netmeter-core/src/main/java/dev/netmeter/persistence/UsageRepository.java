package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedMap;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Stored usage reports, their rows, running totals per (router, label, direction), each label's five-minute
 * samples per UTC day (what statements are made of), and when each agent host last reported. Bound to one
 * transaction, which the caller owns; not thread-safe. Rows name routers and labels that may no longer exist:
 * usage outlives what it was counted for.
 */
public interface UsageRepository {
    /**
     * Stores the header of a report unless one with the same id is stored. If another transaction is storing
     * the same id, waits for it to end. The transaction stays usable either way.
     *
     * @return whether it was stored (false: a report with this id exists, see {@link #findReport})
     */
    boolean insertReport(StoredUsageReport report, Instant receivedAt);

    /** Gives the header of report {@code id}, stored in this transaction, its content hash. */
    void recordContentHash(UUID id, String contentSha256);

    /** The stored header of report {@code id}. */
    Optional<StoredUsageReport> findReport(UUID id);

    /**
     * Deletes up to {@code limit} of the reports whose window ended before {@code horizon}, oldest first, with
     * their rows; a report not yet folded into the totals ({@link #foldRouterTotals}) is kept. The running
     * totals stay.
     */
    UsagePruned deleteReportsEndedBefore(Instant horizon, int limit);

    /** Stores the rows of a report whose header {@link #insertReport} just stored. */
    void insertUsage(UUID reportId, Map<UsageKey, Usage> usage);

    /**
     * Adds a report's rows, which {@link #insertUsage} just stored, to the running totals of their (label,
     * direction) keys, creating those that are new; a total's project becomes the one the rows give (the greatest,
     * should rows of one label differ). Totals are written in key order, so that concurrent reports cannot
     * deadlock.
     *
     * @throws dev.netmeter.domain.error.InvalidInputException if a total would exceed {@link Long#MAX_VALUE}
     */
    void addToLabelTotals(Map<UsageKey, Usage> usage);

    /**
     * Adds the rows of up to {@code limit} stored reports, the oldest not folded yet, to the running totals per
     * (router, label, direction), each report once however many servers fold at the same time.
     *
     * @return how many reports were folded: fewer than {@code limit} once none is left
     */
    int foldRouterTotals(int limit);

    /** Records that {@code host} reported at {@code receivedAt}, unless it is known to have reported later. */
    void recordReportFrom(String host, Instant receivedAt);

    /** The sums {@code query} asks for, ordered by step, then by the keys of its granularity. */
    List<UsageSum> sum(UsageQuery query);

    /**
     * Adds {@code days} to the stored days of samples of their keys, creating the missing ones. Every day is
     * locked first, in the map's order (one order for every report, so that concurrent reports cannot deadlock
     * on them), then read, added to and written back: two reports adding to one sample both count.
     *
     * @param days in {@link SampleDayKey} order
     * @throws dev.netmeter.domain.error.InvalidInputException if a sample would exceed {@link Long#MAX_VALUE}
     */
    void addSamples(SortedMap<SampleDayKey, DailySamples> days);

    /**
     * Hands {@code day} each of the project's stored days of samples from day {@code firstDay} to day
     * {@code lastDay} (days since the epoch, UTC, both included), in no particular order.
     */
    void forEachSampleDay(ProjectId project, long firstDay, long lastDay,
                          BiConsumer<SampleDayKey, DailySamples> day);

    /**
     * The running totals of every (router, label, direction) ever reported, in {@link UsageKey#ROUTER_LABEL_ORDER}:
     * those folded, and the rows of the reports not folded yet.
     */
    SequencedMap<UsageKey, Usage> totals();

    /** The running totals of every (label, direction) ever reported (all routers summed), ordered by label. */
    List<LabelTotal> labelTotals();

    /** When each host last reported, ordered by host. */
    SequencedMap<String, Instant> lastReports();
}
