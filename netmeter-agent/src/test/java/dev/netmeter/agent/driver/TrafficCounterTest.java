package dev.netmeter.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deltas between two reads of a monotonic counter. */
class TrafficCounterTest {
    @ParameterizedTest(name = "{0}/{1} after {2}/{3} is {4}/{5}")
    @CsvSource({
            "10, 1000, 4, 400, 6, 600",     // the usual case: what was counted in between
            "10, 1000, 10, 1000, 0, 0",     // nothing happened
            "3, 300, 10, 1000, 3, 300",     // went down: the counter was created anew, all it holds is new
            "10, 900, 4, 1000, 10, 900",    // either total going down means a new counter
            "0, 0, 0, 0, 0, 0",
    })
    void a_delta_is_the_difference_or_everything_after_a_restart(long packets, long bytes, long earlierPackets,
                                                                  long earlierBytes, long deltaPackets,
                                                                  long deltaBytes) {
        assertThat(new TrafficCounter(packets, bytes).since(new TrafficCounter(earlierPackets, earlierBytes)))
                .isEqualTo(new TrafficCounter(deltaPackets, deltaBytes));
    }

    @ParameterizedTest
    @CsvSource({"-1, 0", "0, -1"})
    void totals_are_never_negative(long packets, long bytes) {
        assertThatThrownBy(() -> new TrafficCounter(packets, bytes)).isInstanceOf(IllegalArgumentException.class);
    }
}
