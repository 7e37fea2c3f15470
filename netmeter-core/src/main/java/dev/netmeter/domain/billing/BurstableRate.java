package dev.netmeter.domain.billing;

import java.util.Arrays;

/**
 * The 95th percentile of a period's five-minute rates, as burstable (95th percentile) billing computes it:
 * take every sample of the period, samples without traffic as zero; sort them; drop the highest 5 %, that is
 * {@code floor(n / 20)} of {@code n} samples; the highest sample left is the 95th percentile. With fewer than
 * 20 samples nothing is dropped, so it is the peak. A sample's rate is its bytes times 8 over its 300
 * seconds, in bits per second, rounded to the nearest whole bit per second (halves up).
 *
 * @param p95Bps the 95th-percentile rate, bits per second
 * @param peakBps the highest sample's rate, bits per second
 * @param samples the number of samples in the period, those without traffic included
 */
public record BurstableRate(long p95Bps, long peakBps, long samples) {
    public static final BurstableRate NONE = new BurstableRate(0, 0, 0);

    /**
     * The rate of a period of {@code samples} samples, of which those in {@code bytesPerSample} carried
     * traffic (the rest are zero).
     *
     * @param bytesPerSample the bytes of each sample with traffic, in any order; not changed
     */
    public static BurstableRate of(long[] bytesPerSample, long samples) {
        if (bytesPerSample.length > samples) {
            throw new IllegalArgumentException(bytesPerSample.length + " samples with traffic in a period of "
                    + samples);
        }
        if (samples == 0) {
            return NONE;
        }
        long[] traffic = bytesPerSample.clone();
        Arrays.sort(traffic);
        long kept = samples - samples / 20;           // the position (from 1) of the highest sample kept
        long zeros = samples - traffic.length;        // they sort first
        long p95 = kept <= zeros ? 0 : traffic[Math.toIntExact(kept - zeros - 1)];
        long peak = traffic.length == 0 ? 0 : traffic[traffic.length - 1];
        return new BurstableRate(bitsPerSecond(p95), bitsPerSecond(peak), samples);
    }

    /** The rate of {@code bytes} in one sample, rounded half up. */
    static long bitsPerSecond(long bytes) {
        return Math.addExact(Math.multiplyExact(bytes, 8), FiveMinuteSamples.SECONDS / 2) / FiveMinuteSamples.SECONDS;
    }
}
