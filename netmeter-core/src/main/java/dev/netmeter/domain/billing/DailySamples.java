package dev.netmeter.domain.billing;

import java.util.Arrays;

/**
 * One UTC day of five-minute samples (288, see {@link FiveMinuteSamples}) of one label in one direction: the
 * bytes and packets each sample got of the reports' windows, and which samples a window covered at all. A
 * covered sample may hold zero (a row of no traffic, or a share rounded to nothing): a statement has a line for
 * a label once a window of it covered one of its samples, with or without traffic, as it had when it added up
 * stored rows. Immutable; stored as {@link DailySamplesCodec} encodes it.
 */
public final class DailySamples {
    /** Samples in a UTC day: 86,400 s / 300 s. */
    public static final int PER_DAY = 288;
    /** Seconds in a UTC day (no leap seconds on the epoch's scale). */
    public static final long DAY_SECONDS = PER_DAY * FiveMinuteSamples.SECONDS;
    /** A day no window covered. */
    public static final DailySamples EMPTY = new DailySamples(new long[PER_DAY / 64 + 1], new long[PER_DAY],
            new long[PER_DAY]);

    private final long[] covered;     // a bit per sample, sample k at bit k % 64 of word k / 64
    private final long[] bytes;
    private final long[] packets;

    private DailySamples(long[] covered, long[] bytes, long[] packets) {
        this.covered = covered;
        this.bytes = bytes;
        this.packets = packets;
    }

    /** The UTC day (days since the epoch) sample {@code sample} lies in. */
    public static long dayOf(long sample) {
        return Math.floorDiv(sample, PER_DAY);
    }

    /** The index of sample {@code sample} in its day, 0 to 287. */
    public static int indexInDay(long sample) {
        return (int) Math.floorMod(sample, (long) PER_DAY);
    }

    /** Whether a window covered sample {@code index} of the day (0 to 287). */
    public boolean covered(int index) {
        return (covered[index >>> 6] & 1L << index) != 0;
    }

    /** Whether no window covered any sample of the day. */
    public boolean isEmpty() {
        return Arrays.equals(covered, EMPTY.covered);
    }

    /** The bytes of sample {@code index} (0 to 287); zero if no window covered it. */
    public long bytes(int index) {
        return bytes[index];
    }

    /** The packets of sample {@code index} (0 to 287); zero if no window covered it. */
    public long packets(int index) {
        return packets[index];
    }

    /**
     * This day and {@code other} together: the samples either covered, each with the sums.
     *
     * @throws ArithmeticException if a sum exceeds {@link Long#MAX_VALUE}
     */
    public DailySamples plus(DailySamples other) {
        long[] sumCovered = new long[covered.length];
        long[] sumBytes = new long[PER_DAY];
        long[] sumPackets = new long[PER_DAY];
        for (int i = 0; i < covered.length; i++) {
            sumCovered[i] = covered[i] | other.covered[i];
        }
        for (int i = 0; i < PER_DAY; i++) {
            sumBytes[i] = Math.addExact(bytes[i], other.bytes[i]);
            sumPackets[i] = Math.addExact(packets[i], other.packets[i]);
        }
        return new DailySamples(sumCovered, sumBytes, sumPackets);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DailySamples that && Arrays.equals(covered, that.covered)
                && Arrays.equals(bytes, that.bytes) && Arrays.equals(packets, that.packets);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(covered) + Arrays.hashCode(bytes)) + Arrays.hashCode(packets);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("DailySamples[");
        for (int i = 0; i < PER_DAY; i++) {
            if (covered(i)) {
                text.append(text.length() > 13 ? ", " : "").append(i).append('=').append(bytes[i]).append('/')
                        .append(packets[i]);
            }
        }
        return text.append(']').toString();
    }

    /** A new day being filled in. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fills in one day: not thread-safe, and used up by {@link #build()}. */
    public static final class Builder {
        private long[] covered = new long[PER_DAY / 64 + 1];
        private long[] bytes = new long[PER_DAY];
        private long[] packets = new long[PER_DAY];

        private Builder() {
        }

        /** Marks sample {@code index} (0 to 287) as covered by a window, with or without traffic. */
        public Builder cover(int index) {
            covered[index >>> 6] |= 1L << index;
            return this;
        }

        /**
         * Covers sample {@code index} and adds to its counts.
         *
         * @throws ArithmeticException if a sum exceeds {@link Long#MAX_VALUE}
         */
        public Builder add(int index, long moreBytes, long morePackets) {
            if (moreBytes < 0 || morePackets < 0) {
                throw new IllegalArgumentException("samples are never negative: %d bytes, %d packets"
                        .formatted(moreBytes, morePackets));
            }
            cover(index);
            bytes[index] = Math.addExact(bytes[index], moreBytes);
            packets[index] = Math.addExact(packets[index], morePackets);
            return this;
        }

        /** The day as filled in. */
        public DailySamples build() {
            DailySamples day = new DailySamples(covered, bytes, packets);
            covered = null;     // used up: a later call fails rather than change the day built
            bytes = null;
            packets = null;
            return day;
        }
    }
}
