package dev.netmeter.domain.billing;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.error.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines of one period's statement, added up from stored usage. Each usage row is spread over the
 * five-minute samples of its report's window ({@link FiveMinuteSamples}); the shares that fall in the period
 * are its part of the statement, so a window across the period's start or end is billed pro rata in the two
 * periods, and the lines of consecutive periods add up to the stored rows exactly. Not thread-safe.
 */
public final class StatementLines {
    /**
     * The most samples all lines together may hold (eight bytes each, 128 MB): a month (8,640 to 8,928 samples)
     * of about 1,900 lines, or a year of about 150. A statement past it is refused, not allowed to exhaust the
     * server's heap (512 MB by default).
     */
    public static final long MAX_SAMPLES_HELD = 16L << 20;

    private final Instant start;
    private final Instant end;
    private final long firstSample;
    private final int samples;
    private final Map<Key, Line> lines = new HashMap<>();

    public StatementLines(BillingPeriod period) {
        this(period.start(), period.end());
    }

    /**
     * The lines of any range {@code [start, end)} (a statement over a range rather than a named period), its
     * samples counted as a period's are ({@link BillingPeriod#samples()}).
     */
    public StatementLines(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a range ends after it starts: " + start + " to " + end);
        }
        this.start = start;
        this.end = end;
        this.firstSample = FiveMinuteSamples.indexOf(start.minusNanos(1)) + 1;
        this.samples = Math.toIntExact(FiveMinuteSamples.indexOf(end.minusNanos(1)) + 1 - firstSample);
    }

    /** Adds a row counted over {@code [windowStart, windowEnd)}; what falls outside the period is left out. */
    public void add(LabelId label, Optional<Direction> direction, long packets, long bytes, Instant windowStart,
                    Instant windowEnd) {
        if (!overlaps(windowStart, windowEnd)) {
            return;
        }
        Line line = lines.computeIfAbsent(new Key(label, direction), key -> newLine());
        FiveMinuteSamples.spread(bytes, windowStart, windowEnd, (sample, share) -> {
            long index = sample - firstSample;
            if (index >= 0 && index < samples) {
                line.bytesPerSample[(int) index] += share;
                line.bytes += share;
            }
        });
        FiveMinuteSamples.spread(packets, windowStart, windowEnd, (sample, share) -> {
            long index = sample - firstSample;
            if (index >= 0 && index < samples) {
                line.packets += share;
            }
        });
    }

    /**
     * Adds a stored day of samples, of which those in the period count: a line is made once a sample in the period
     * was covered, as {@link #add} makes one once a row's window overlaps the period (the period is made of whole
     * samples). The same figures as adding the rows the day was made of, up to how {@link ReportSamples} rounds.
     */
    public void add(LabelId label, Optional<Direction> direction, long day, DailySamples stored) {
        long dayStart = day * DailySamples.PER_DAY;
        int from = (int) Math.max(0, firstSample - dayStart);
        int to = (int) Math.min(DailySamples.PER_DAY, firstSample + samples - dayStart);
        Line line = null;
        for (int k = from; k < to; k++) {
            if (stored.covered(k)) {
                if (line == null) {
                    line = lines.computeIfAbsent(new Key(label, direction), key -> newLine());
                }
                long bytes = stored.bytes(k);
                line.bytesPerSample[(int) (dayStart + k - firstSample)] += bytes;
                line.bytes += bytes;
                line.packets += stored.packets(k);
            }
        }
    }

    private Line newLine() {
        if ((long) (lines.size() + 1) * samples > MAX_SAMPLES_HELD) {
            throw new InvalidRequestException(("A statement of more than %d lines over %d five-minute samples would "
                    + "hold more than %d samples; ask for a shorter range.").formatted(lines.size(), samples,
                    MAX_SAMPLES_HELD));
        }
        return new Line(new long[samples]);
    }

    private boolean overlaps(Instant windowStart, Instant windowEnd) {
        return windowStart.equals(windowEnd) ? !windowStart.isBefore(start) && windowStart.isBefore(end)
                : windowStart.isBefore(end) && windowEnd.isAfter(start);
    }

    /** The lines, by label, then direction-less before ingress before egress. */
    public List<StatementLine> lines() {
        List<StatementLine> result = new ArrayList<>(lines.size());
        lines.forEach((key, line) -> result.add(new StatementLine(key.label, key.direction, line.bytes, line.packets,
                BurstableRate.of(line.bytesPerSample, samples))));
        result.sort(Comparator.comparing(StatementLine::label)
                .thenComparing(line -> line.direction().map(direction -> direction.ordinal() + 1).orElse(0)));
        return result;
    }

    private record Key(LabelId label, Optional<Direction> direction) {
    }

    /** A line being added up: bytes per sample of the period (zero where nothing was counted). */
    private static final class Line {
        private final long[] bytesPerSample;
        private long bytes;
        private long packets;

        Line(long[] bytesPerSample) {
            this.bytesPerSample = bytesPerSample;
        }
    }
}
