package dev.netmeter.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DailySamplesCodecTest {
    private static final int HEADER = 37;

    private static byte[] encode(DailySamples day) {
        return DailySamplesCodec.encode(day);
    }

    private static byte[] header(int... coveredSamples) {
        byte[] header = new byte[HEADER];
        header[0] = 1;
        for (int k : coveredSamples) {
            header[1 + k / 8] |= (byte) (1 << (k % 8));
        }
        return header;
    }

    private static byte[] concat(byte[] first, int... rest) {
        byte[] all = Arrays.copyOf(first, first.length + rest.length);
        for (int i = 0; i < rest.length; i++) {
            all[first.length + i] = (byte) rest[i];
        }
        return all;
    }

    @Test
    void a_day_nothing_covered_is_the_format_and_an_empty_bitmap() {
        assertThat(encode(DailySamples.EMPTY)).isEqualTo(header());
        assertThat(DailySamplesCodec.decode(header())).isEqualTo(DailySamples.EMPTY);
        assertThat(DailySamples.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void covered_samples_of_zero_are_kept_apart_from_samples_nobody_covered() {
        DailySamples day = DailySamples.builder().cover(0).cover(287).build();

        byte[] encoded = encode(day);

        assertThat(encoded).isEqualTo(concat(header(0, 287), 0, 0, 0, 0));
        DailySamples decoded = DailySamplesCodec.decode(encoded);
        assertThat(decoded).isEqualTo(day).isNotEqualTo(DailySamples.EMPTY);
        assertThat(decoded.covered(0)).isTrue();
        assertThat(decoded.covered(1)).isFalse();
        assertThat(decoded.covered(287)).isTrue();
        assertThat(decoded.bytes(287)).isZero();
    }

    @Test
    void counts_are_little_endian_base_128_varints_bytes_before_packets() {
        // 300 = 0b10_0101100: 0xAC 0x02; 127 fits one byte; 128 = 0x80 0x01
        DailySamples day = DailySamples.builder().add(9, 300, 127).add(100, 128, 1).build();

        assertThat(encode(day)).isEqualTo(concat(header(9, 100), 0xAC, 0x02, 0x7F, 0x80, 0x01, 0x01));
    }

    @Test
    void long_max_value_takes_nine_bytes_and_reads_back() {
        DailySamples day = DailySamples.builder().add(5, Long.MAX_VALUE, Long.MAX_VALUE).build();

        byte[] encoded = encode(day);

        assertThat(encoded).hasSize(HEADER + 18);
        assertThat(HexFormat.of().formatHex(encoded, HEADER, HEADER + 9)).isEqualTo("ffffffffffffffff7f");
        assertThat(DailySamplesCodec.decode(encoded).bytes(5)).isEqualTo(Long.MAX_VALUE);
        assertThat(DailySamplesCodec.decode(encoded).packets(5)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void the_longest_day_is_max_length() {
        DailySamples.Builder builder = DailySamples.builder();
        for (int k = 0; k < DailySamples.PER_DAY; k++) {
            builder.add(k, Long.MAX_VALUE, Long.MAX_VALUE);
        }
        DailySamples day = builder.build();

        assertThat(encode(day)).hasSize(DailySamplesCodec.MAX_LENGTH).hasSize(5_221);
        assertThat(DailySamplesCodec.decode(encode(day))).isEqualTo(day);
    }

    @Test
    void random_days_read_back_as_written() {
        Random random = new Random(288);
        for (int round = 0; round < 500; round++) {
            DailySamples.Builder builder = DailySamples.builder();
            for (int k = 0; k < DailySamples.PER_DAY; k++) {
                switch (random.nextInt(4)) {
                    case 0 -> { }
                    case 1 -> builder.cover(k);
                    case 2 -> builder.add(k, random.nextLong(1_000_000), random.nextInt(1_000));
                    default -> builder.add(k, (random.nextLong() >>> 1) >>> random.nextInt(63),
                            random.nextLong() >>> 1);
                }
            }
            DailySamples day = builder.build();
            byte[] encoded = encode(day);
            assertThat(DailySamplesCodec.decode(encoded)).isEqualTo(day);
            assertThat(encode(DailySamplesCodec.decode(encoded))).as("canonical").isEqualTo(encoded);
        }
    }

    @Test
    void shorter_than_the_header_is_refused() {
        assertThatThrownBy(() -> DailySamplesCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DailySamplesCodec.decode(Arrays.copyOf(header(), HEADER - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("36 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 255})
    void another_format_is_refused(int format) {
        byte[] other = header();
        other[0] = (byte) format;
        assertThatThrownBy(() -> DailySamplesCodec.decode(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format");
    }

    @Test
    void a_covered_sample_without_its_counts_is_refused() {
        assertThatThrownBy(() -> DailySamplesCodec.decode(header(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(3), 5)))
                .as("bytes but no packets").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut short");
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(3), 0x80)))
                .as("a varint left unfinished").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void bytes_left_over_are_refused() {
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(3), 1, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bytes left over");
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left over");
    }

    @Test
    void a_count_past_long_max_value_or_longer_than_nine_bytes_is_refused() {
        // 2^63: nine bytes of 0x80 continuing into a tenth
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(0),
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x01, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past");
    }

    @Test
    void a_needless_zero_group_is_refused_so_that_the_encoding_stays_canonical() {
        assertThatThrownBy(() -> DailySamplesCodec.decode(concat(header(0), 0x81, 0x00, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needless zero");
    }

    @Test
    void days_add_up_sample_by_sample_and_refuse_to_overflow() {
        DailySamples one = DailySamples.builder().add(1, 10, 1).cover(2).build();
        DailySamples other = DailySamples.builder().add(1, 5, 2).add(3, 7, 1).build();

        assertThat(one.plus(other)).isEqualTo(DailySamples.builder().add(1, 15, 3).cover(2).add(3, 7, 1).build());
        assertThat(one.plus(DailySamples.EMPTY)).isEqualTo(one);
        DailySamples full = DailySamples.builder().add(1, Long.MAX_VALUE, 0).build();
        assertThatThrownBy(() -> full.plus(one)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void negative_counts_are_refused() {
        assertThatThrownBy(() -> DailySamples.builder().add(0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
