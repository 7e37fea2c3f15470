package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Samples of 375·k bytes, whose rate is 10·k bit/s exactly (375 · 8 / 300 = 10). */
class BurstableRateTest {
    private static long[] steps(int from, int to) {
        long[] bytes = LongStream.rangeClosed(from, to).map(k -> 375 * k).toArray();
        List<Long> shuffled = new ArrayList<>(Arrays.stream(bytes).boxed().toList());
        Collections.shuffle(shuffled, new Random(from * 31L + to));
        return shuffled.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void twenty_samples_drop_the_highest_one() {
        assertThat(BurstableRate.of(steps(1, 20), 20)).isEqualTo(new BurstableRate(190, 200, 20));
    }

    @Test
    void fewer_than_twenty_samples_drop_none_so_the_95th_percentile_is_the_peak() {
        assertThat(BurstableRate.of(steps(1, 19), 19)).isEqualTo(new BurstableRate(190, 190, 19));
        assertThat(BurstableRate.of(steps(7, 7), 1)).isEqualTo(new BurstableRate(70, 70, 1));
    }

    @Test
    void forty_samples_drop_two() {
        assertThat(BurstableRate.of(steps(1, 40), 40)).isEqualTo(new BurstableRate(380, 400, 40));
    }

    @ParameterizedTest(name = "{0} busy samples of a month: p95 {1} bit/s")
    @CsvSource({
            // a month of 8,640 samples drops the highest 432: 432 busy samples are all dropped
            "432, 0",
            "433, 10",
            "8640, 10",
    })
    void samples_without_traffic_count_as_zero(int busy, long p95) {
        long[] bytes = new long[busy];
        Arrays.fill(bytes, 375);
        assertThat(BurstableRate.of(bytes, 8640)).isEqualTo(new BurstableRate(p95, 10, 8640));
    }

    @Test
    void a_month_of_rising_samples() {
        // samples 1..8640: drop 8209..8640, keep 8208 -> 82,080 bit/s
        assertThat(BurstableRate.of(steps(1, 8640), 8640)).isEqualTo(new BurstableRate(82_080, 86_400, 8640));
    }

    @ParameterizedTest(name = "{0} bytes in a sample: {1} bit/s")
    @CsvSource({"0, 0", "1, 0", "18, 0", "19, 1", "37, 1", "38, 1", "57, 2", "375, 10", "1250000000, 33333333"})
    void rates_are_rounded_to_the_nearest_bit_per_second(long bytes, long bps) {
        // 18 bytes: 0.48 bit/s; 19: 0.507; 38: 1.013; 57: 1.52; 1.25 GB: 33,333,333.3
        assertThat(BurstableRate.bitsPerSecond(bytes)).isEqualTo(bps);
    }

    @Test
    void a_period_without_samples_has_no_rate_and_more_busy_samples_than_samples_is_refused() {
        assertThat(BurstableRate.of(new long[0], 0)).isEqualTo(BurstableRate.NONE);
        assertThat(BurstableRate.of(new long[0], 8640)).isEqualTo(new BurstableRate(0, 0, 8640));
        assertThatThrownBy(() -> BurstableRate.of(new long[] {1, 2}, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_input_is_not_changed() {
        long[] bytes = {300, 100, 200};
        BurstableRate.of(bytes, 3);
        assertThat(bytes).containsExactly(300, 100, 200);
    }
}
