package dev.netmeter.domain.billing;

import java.math.BigInteger;
import java.time.Instant;

/**
 * The five-minute samples that burstable billing rates, and how a count measured over any window is spread
 * over them. Sample {@code k} covers {@code [300k, 300(k+1))} seconds of the epoch, so samples line up with
 * the five-minute marks of every time zone in use (all offsets are whole quarter hours).
 *
 * <p>A window's count is shared pro rata by time: each sample gets {@code count * overlap / length}, rounded
 * down, and the units the rounding left over go one each to the samples with the largest remainders (the
 * earliest first among equal ones), so the shares always add up to the count exactly (largest remainder,
 * Hamilton's method). A window of no length puts its whole count in the sample its instant lies in. Windows
 * are half-open, {@code [start, end)}, to the nanosecond: a window that ends on a five-minute mark has nothing
 * in the sample after it.
 */
public final class FiveMinuteSamples {
    public static final long SECONDS = 300;
    private static final long NANOS = SECONDS * 1_000_000_000L;

    private FiveMinuteSamples() {
    }

    /** Receives a window's share in one sample. */
    @FunctionalInterface
    public interface Share {
        void add(long sample, long count);
    }

    /** The sample {@code instant} lies in. */
    public static long indexOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), SECONDS);
    }

    /** The instant sample {@code index} starts at. */
    public static Instant startOf(long index) {
        return Instant.ofEpochSecond(Math.multiplyExact(index, SECONDS));
    }

    /**
     * The last sample window {@code [start, end)} covers (the first is {@link #indexOf}{@code (start)}): the one
     * its last nanosecond lies in, or the one its instant lies in for a window of no length.
     */
    public static long lastCovered(Instant start, Instant end) {
        return end.equals(start) ? indexOf(start) : Math.floorDiv(nanos(end) - 1, NANOS);
    }

    /**
     * Spreads {@code count}, measured over {@code [start, end)}, over the samples the window covers, calling
     * {@code share} once per sample with a share above zero, in sample order.
     */
    public static void spread(long count, Instant start, Instant end, Share share) {
        if (count < 0 || end.isBefore(start)) {
            throw new IllegalArgumentException("a count of at least 0 over a window that does not end before it "
                    + "starts: " + count + " over " + start + " to " + end);
        }
        if (count == 0) {
            return;
        }
        long first = indexOf(start);
        long last = lastCovered(start, end);
        if (first == last) {
            share.add(first, count);     // the common case: a report within one sample
            return;
        }
        long from = nanos(start);
        long length = nanos(end) - from;
        int samples = Math.toIntExact(last - first + 1);
        long[] shares = new long[samples];
        long[] remainders = new long[samples];
        long given = 0;
        for (int i = 0; i < samples; i++) {
            long sampleStart = Math.max(from, (first + i) * NANOS);
            long sampleEnd = Math.min(from + length, (first + i + 1) * NANOS);
            BigInteger[] division = BigInteger.valueOf(count).multiply(BigInteger.valueOf(sampleEnd - sampleStart))
                    .divideAndRemainder(BigInteger.valueOf(length));
            shares[i] = division[0].longValueExact();
            remainders[i] = division[1].longValueExact();
            given += shares[i];
        }
        for (long left = count - given; left > 0; left--) {
            shares[largest(remainders)]++;
        }
        for (int i = 0; i < samples; i++) {
            if (shares[i] > 0) {
                share.add(first + i, shares[i]);
            }
        }
    }

    /** The index of the largest remainder (the earliest of equal ones), which is then used up. */
    private static int largest(long[] remainders) {
        int largest = 0;
        for (int i = 1; i < remainders.length; i++) {
            if (remainders[i] > remainders[largest]) {
                largest = i;
            }
        }
        remainders[largest] = -1;
        return largest;
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
