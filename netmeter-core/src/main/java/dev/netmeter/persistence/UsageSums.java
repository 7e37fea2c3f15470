package dev.netmeter.persistence;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageGranularity.Dimension;
import dev.netmeter.domain.usage.UsageGroup;
import dev.netmeter.domain.usage.UsageKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The sums of a {@link UsageQuery}, added up row by row as stored rows are unpacked: what a {@code GROUP BY}
 * over a table of rows answered before rows were stored packed. Not thread-safe; one per query.
 *
 * <p>As the SQL did: a row counts if {@code from ≤ last_update < to} and it passes the filters; it belongs to
 * step {@code (last_update - from) / step}; a sum's packets and bytes add up, its first update is the earliest
 * and its last update the latest of its rows; sums are ordered by step, then by the granularity's keys in their
 * order (ids and projects by code point, as the databases' binary collations order them), then by direction
 * (none, egress, ingress: the order of the stored spellings '', 'egress', 'ingress'). A sum past
 * {@link Long#MAX_VALUE} is refused only if it is among those answered.
 */
public final class UsageSums {
    private static final Comparator<String> BY_CODE_POINT = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };
    private static final Map<Dimension, Function<UsageGroup, String>> KEY_TEXT = Map.of(
            Dimension.ROUTER, group -> group.router().map(Object::toString).orElse(""),
            Dimension.LABEL, group -> group.label().map(Object::toString).orElse(""),
            Dimension.PROJECT, group -> group.project().map(ProjectId::value).orElse(""));

    private final UsageQuery query;
    private final List<Dimension> keys;
    private final Map<Map.Entry<Long, UsageGroup>, Sum> sums = new HashMap<>();
    /** By step, then by the granularity's keys in their order, then by direction. */
    private final Comparator<Map.Entry<Long, UsageGroup>> order;

    public UsageSums(UsageQuery query) {
        this.query = query;
        this.keys = query.filter().granularity().keys();
        Comparator<Map.Entry<Long, UsageGroup>> byStep = Comparator.comparingLong(Map.Entry::getKey);
        for (Dimension key : keys) {
            byStep = byStep.thenComparing(at -> KEY_TEXT.get(key).apply(at.getValue()), BY_CODE_POINT);
        }
        this.order = byStep.thenComparingInt(at -> at.getValue().direction().map(UsageSums::storedOrder).orElse(0));
    }

    /**
     * Adds one stored row, if the query selects it. Once more sums than the query's limit exist, a row of a new
     * group is dropped: the answer holds more than the limit either way, which the caller refuses (so memory
     * stays bounded by the limit, not by the rows).
     */
    public void add(UsageKey key, Usage usage) {
        long last = usage.lastUpdate().getEpochSecond();
        UsageFilter filter = query.filter();
        if (last < query.fromSecond() || last >= query.toSecond()
                || !filter.routers().isEmpty() && !filter.routers().contains(key.router())
                || !filter.labels().isEmpty() && !filter.labels().contains(key.label())
                || !filter.projects().isEmpty() && !filter.projects().contains(key.project())
                || query.project().isPresent() && !query.project().get().equals(key.project())) {
            return;
        }
        long step = (last - query.fromSecond()) / query.stepSeconds();
        UsageGroup group = new UsageGroup(
                keys.contains(Dimension.ROUTER) ? Optional.of(key.router()) : Optional.empty(),
                keys.contains(Dimension.LABEL) ? Optional.of(key.label()) : Optional.empty(),
                keys.contains(Dimension.PROJECT) ? Optional.of(key.project()) : Optional.empty(),
                filter.byDirection() ? key.direction() : Optional.empty());
        Map.Entry<Long, UsageGroup> at = Map.entry(step, group);
        Sum sum = sums.get(at);
        if (sum == null) {
            if (sums.size() > query.limit()) {
                return;
            }
            sums.put(at, new Sum(usage));
        } else {
            sum.add(usage);
        }
    }

    /**
     * The sums in order, at most the query's limit of them.
     *
     * @throws InvalidRequestException if one of them is past {@link Long#MAX_VALUE}
     */
    public List<UsageSum> sums() {
        List<Map.Entry<Long, UsageGroup>> ordered = new ArrayList<>(sums.keySet());
        ordered.sort(order);
        return ordered.stream().limit(query.limit())
                .map(at -> new UsageSum(at.getValue(), at.getKey(), sums.get(at).usage()))
                .toList();
    }

    private static int storedOrder(Direction direction) {
        return direction == Direction.EGRESS ? 1 : 2;
    }

    /** A sum being added up; a sum past a long is remembered, not thrown, until it is answered. */
    private static final class Sum {
        private long packets;
        private long bytes;
        private Instant first;
        private Instant last;
        private String overflowed;

        Sum(Usage usage) {
            packets = usage.packets();
            bytes = usage.bytes();
            first = usage.firstUpdate();
            last = usage.lastUpdate();
        }

        void add(Usage usage) {
            if (overflowed == null) {
                try {
                    packets = Math.addExact(packets, usage.packets());
                } catch (ArithmeticException e) {
                    overflowed = "packets";
                }
            }
            if (overflowed == null) {
                try {
                    bytes = Math.addExact(bytes, usage.bytes());
                } catch (ArithmeticException e) {
                    overflowed = "bytes";
                }
            }
            first = usage.firstUpdate().isBefore(first) ? usage.firstUpdate() : first;
            last = usage.lastUpdate().isAfter(last) ? usage.lastUpdate() : last;
        }

        Usage usage() {
            if (overflowed != null) {
                throw new InvalidRequestException(("A sum of %s exceeds %d; ask by a finer granularity or a shorter "
                        + "range.").formatted(overflowed, Long.MAX_VALUE));
            }
            return new Usage(packets, bytes, first, last);
        }
    }
}
