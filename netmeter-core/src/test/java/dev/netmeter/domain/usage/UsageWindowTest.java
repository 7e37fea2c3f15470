package dev.netmeter.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.error.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00.5Z");

    @ParameterizedTest(name = "{0} to {1} by {2}: seconds [{3}, {4}) by {5}, last step {6} to {7}")
    @CsvSource(nullValues = "-", value = {
            // whole seconds: the range and the steps are as given
            "2026-11-23T20:00:00Z,   2026-11-23T20:10:00Z, 300, 1795464000, 1795464600, 300, 2026-11-23T20:05:00Z, "
                    + "2026-11-23T20:10:00Z",
            // a last step cut short by the end
            "2026-11-23T20:00:00Z,   2026-11-23T20:07:00Z, 300, 1795464000, 1795464420, 300, 2026-11-23T20:05:00Z, "
                    + "2026-11-23T20:07:00Z",
            // a start between seconds: rows from the next whole second, steps cut at start + k × step
            "2026-11-23T20:00:00.5Z, 2026-11-23T20:00:20Z, 10,  1795464001, 1795464020, 10,  2026-11-23T20:00:10.5Z, "
                    + "2026-11-23T20:00:20Z",
            // no step: one step over the whole range, grouped by at least a second
            "2026-11-23T20:00:00Z,   2026-11-23T20:00:00.5Z, -, 1795464000, 1795464001, 1,   2026-11-23T20:00:00Z, "
                    + "2026-11-23T20:00:00.5Z",
            // no step over 9.5 s: rows grouped by 10 s, so all in step 0
            "2026-11-23T20:00:00.5Z, 2026-11-23T20:00:10Z, -,   1795464001, 1795464010, 10,  2026-11-23T20:00:00.5Z, "
                    + "2026-11-23T20:00:10Z",
            // a step far beyond the range (and the last instant) is the range: one step
            "2026-11-23T20:00:00Z,   2026-11-23T20:10:00Z, 100000000000000000, 1795464000, 1795464600, 600, "
                    + "2026-11-23T20:00:00Z, 2026-11-23T20:10:00Z",
    })
    void rows_fall_in_whole_seconds_and_steps_start_at_start(Instant start, Instant end, Long step, long first,
                                                             long endSecond, long stepSeconds, Instant lastStart,
                                                             Instant lastEnd) {
        UsageWindow window = UsageWindow.of(Optional.of(start), Optional.of(end), Optional.ofNullable(step), NOW);

        assertThat(window.firstSecond()).isEqualTo(first);
        assertThat(window.endSecond()).isEqualTo(endSecond);
        assertThat(window.stepSeconds()).isEqualTo(stepSeconds);
        long lastIndex = (endSecond - 1 - first) / stepSeconds;
        assertThat(window.bounds(lastIndex)).isEqualTo(new UsageWindow.UsageStepBounds(lastStart, lastEnd));
    }

    @ParameterizedTest(name = "{0} to {1} by {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "2026-11-23T20:00:00Z | 2026-11-23T20:00:00Z | -     | Invalid input for start. Reason: "
                    + "'2026-11-23T20:00:00Z' is not before end '2026-11-23T20:00:00Z'.",
            // without an end, the end is now
            "2026-11-23T21:00:00Z | -                    | -     | Invalid input for start. Reason: "
                    + "'2026-11-23T21:00:00Z' is not before end '2026-11-23T20:00:00.500Z'.",
            "-                    | -                    | 0     | Invalid input for step. Reason: '0' is not a "
                    + "positive number of seconds.",
            // the last day by 8 s is 10,800 steps; by 9 s 9,600
            "-                    | -                    | 8     | Invalid input for step. Reason: 10800 steps of 8 "
                    + "seconds from 2026-11-22T20:00:00.500Z to 2026-11-23T20:00:00.500Z, more than 10000.",
    })
    void impossible_windows_are_refused_naming_the_parameter(Instant start, Instant end, Long step, String message) {
        assertThatThrownBy(() -> UsageWindow.of(Optional.ofNullable(start), Optional.ofNullable(end),
                Optional.ofNullable(step), NOW)).isInstanceOf(InvalidRequestException.class).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"9, 9600", "86400, 1", "100000, 1"})
    void a_day_by_a_step_has_the_steps_it_takes(long step, long steps) {
        UsageWindow window = UsageWindow.of(Optional.empty(), Optional.empty(), Optional.of(step), NOW);

        assertThat(window.start()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(window.bounds(steps - 1).end()).isEqualTo(NOW);
        assertThat(window.bounds(steps - 1).start()).isBefore(NOW);
    }
}
