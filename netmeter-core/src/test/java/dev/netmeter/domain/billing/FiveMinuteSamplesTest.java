package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FiveMinuteSamplesTest {
    private static final Instant NOON = Instant.parse("2026-11-02T12:00:00Z");

    /** Each share by the sample's start time ("12:05" for 12:05 to 12:10), in order. */
    private static Map<String, Long> spread(long count, String start, String end) {
        Map<String, Long> shares = new LinkedHashMap<>();
        FiveMinuteSamples.spread(count, at(start), at(end), (sample, share) -> {
            String time = FiveMinuteSamples.startOf(sample).toString().substring(11, 16);
            assertThat(shares.put(time, share)).as("one share per sample").isNull();
        });
        return shares;
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-02T" + time + "Z");
    }

    @ParameterizedTest(name = "{0} over [{1}, {2}): {3}")
    @CsvSource(delimiter = ';', value = {
            // within one sample, or ending on its end: all of it there
            "1000; 12:01:00; 12:04:00; {12:00=1000}",
            "5; 12:00:00; 12:05:00; {12:00=5}",
            // 120 s and 180 s of 300: 400 and 600
            "1000; 12:03:00; 12:08:00; {12:00=400, 12:05=600}",
            // 400.4 and 600.6: the unit left over goes to the larger remainder
            "1001; 12:03:00; 12:08:00; {12:00=400, 12:05=601}",
            // thirds: 2.33 each, the unit left over to the earliest of equal remainders
            "7; 12:00:00; 12:15:00; {12:00=3, 12:05=2, 12:10=2}",
            "2; 12:00:00; 12:15:00; {12:00=1, 12:05=1}",
            // a second across a mark, half a second each side
            "10; 12:04:59.5; 12:05:00.5; {12:00=5, 12:05=5}",
            "11; 12:04:59.5; 12:05:00.5; {12:00=6, 12:05=5}",
            // a window of no length: its instant's sample
            "9; 12:05:00; 12:05:00; {12:05=9}",
            "9; 12:04:59.999999999; 12:04:59.999999999; {12:00=9}",
            // a window of 12.5 minutes: 1/5, 2/5, 2/5 of 12,345 = 2,469, 4,938, 4,938
            "12345; 12:02:30; 12:15:00; {12:00=2469, 12:05=4938, 12:10=4938}",
            "0; 12:02:30; 12:15:00; {}",
    })
    void counts_are_shared_by_time(long count, String start, String end, String shares) {
        assertThat(spread(count, start, end)).hasToString(shares);
    }

    @Test
    void shares_always_add_up_and_each_is_within_one_of_its_exact_share() {
        Random random = new Random(20261202);
        for (int i = 0; i < 20_000; i++) {
            long count = random.nextBoolean() ? random.nextLong(1_000) : random.nextLong((1L << 53));
            Instant start = NOON.plusNanos(random.nextLong(3_600_000_000_000L));
            Instant end = start.plusNanos(random.nextInt(4) == 0 ? random.nextLong(2_000_000_000L)
                    : random.nextLong(86_400_000_000_000L));
            long length = Duration.between(start, end).toNanos();
            long[] sum = {0};
            FiveMinuteSamples.spread(count, start, end, (sample, share) -> {
                sum[0] += share;
                Instant sampleStart = FiveMinuteSamples.startOf(sample);
                Instant from = start.isAfter(sampleStart) ? start : sampleStart;
                Instant sampleEnd = sampleStart.plusSeconds(FiveMinuteSamples.SECONDS);
                Instant to = end.isBefore(sampleEnd) ? end : sampleEnd;
                if (length > 0) {
                    // |share * length - count * overlap| < length
                    BigInteger exact = BigInteger.valueOf(count)
                            .multiply(BigInteger.valueOf(Duration.between(from, to).toNanos()));
                    BigInteger difference = BigInteger.valueOf(share).multiply(BigInteger.valueOf(length))
                            .subtract(exact).abs();
                    assertThat(difference).isLessThan(BigInteger.valueOf(length));
                }
            });
            assertThat(sum[0]).as("count %d over %s to %s", count, start, end).isEqualTo(count);
        }
    }

    @Test
    void the_largest_count_over_a_month_adds_up_exactly() {
        long count = (1L << 53) - 1;
        long[] sum = {0};
        int[] samples = {0};
        FiveMinuteSamples.spread(count, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                (sample, share) -> {
                    sum[0] += share;
                    samples[0]++;
                });
        assertThat(sum[0]).isEqualTo(count);
        assertThat(samples[0]).isEqualTo(8640);
    }

    @Test
    void samples_start_on_five_minute_marks() {
        assertThat(FiveMinuteSamples.indexOf(at("12:04:59.999999999")))
                .isEqualTo(FiveMinuteSamples.indexOf(at("12:00:00")));
        assertThat(FiveMinuteSamples.startOf(FiveMinuteSamples.indexOf(at("12:07:30")))).isEqualTo(at("12:05:00"));
        assertThat(FiveMinuteSamples.startOf(FiveMinuteSamples.indexOf(Instant.parse("1969-12-31T23:58:00Z"))))
                .isEqualTo(Instant.parse("1969-12-31T23:55:00Z"));
    }

    @Test
    void a_negative_count_or_a_window_that_ends_before_it_starts_is_refused() {
        assertThatThrownBy(() -> FiveMinuteSamples.spread(-1, NOON, NOON, (sample, share) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FiveMinuteSamples.spread(1, NOON, NOON.minusNanos(1), (sample, share) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
