package dev.netmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The poller's delays: doubling from 1 s to 60 s, each drawn between half its ceiling and the ceiling. */
class BackoffTest {
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofSeconds(60);
    private static final List<Long> CEILINGS_MS = List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L,
            60_000L, 60_000L);

    @Test
    void pinned_to_the_lowest_draw_each_delay_is_half_its_ceiling_and_to_the_highest_the_ceiling() {
        assertThat(delaysMs(new Backoff(FIRST, LONGEST, fixed(false)), CEILINGS_MS.size()))
                .isEqualTo(CEILINGS_MS.stream().map(ceiling -> ceiling / 2).toList());
        assertThat(delaysMs(new Backoff(FIRST, LONGEST, fixed(true)), CEILINGS_MS.size())).isEqualTo(CEILINGS_MS);
    }

    @Test
    void every_delay_stays_between_half_its_ceiling_and_its_ceiling() {
        Random random = new Random(14);
        for (int agent = 0; agent < 200; agent++) {
            List<Long> delays = delaysMs(new Backoff(FIRST, LONGEST, random), CEILINGS_MS.size());
            for (int retry = 0; retry < delays.size(); retry++) {
                assertThat(delays.get(retry)).isBetween(CEILINGS_MS.get(retry) / 2, CEILINGS_MS.get(retry));
            }
        }
    }

    @Test
    void agents_cut_off_together_retry_spread_over_half_the_longest_delay_not_in_lockstep() {
        Random random = new Random(14);
        List<Long> atLongest = IntStream.range(0, 1_000).mapToObj(agent -> {
            Backoff backoff = new Backoff(FIRST, LONGEST, random);
            return delaysMs(backoff, 10).getLast();
        }).toList();

        Set<Long> distinct = new HashSet<>(atLongest);
        assertThat(distinct).as("distinct delays of 1,000 agents").hasSizeGreaterThan(900);
        // Spread over the whole of [30 s, 60 s]: each sixth of it gets some agents, none most of them.
        for (long sixth = 0; sixth < 6; sixth++) {
            long from = 30_000 + sixth * 5_000;
            assertThat(atLongest.stream().filter(delay -> delay >= from && delay <= from + 5_000).count())
                    .as("agents retrying %d–%d ms after the failure", from, from + 5_000).isBetween(100L, 250L);
        }
    }

    @Test
    void a_success_starts_again_from_the_shortest_and_a_refused_token_goes_to_the_longest_at_once() {
        Backoff backoff = new Backoff(FIRST, LONGEST, fixed(true));
        delaysMs(backoff, 5);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(FIRST);

        assertThat(backoff.nextAtLongest()).isEqualTo(LONGEST);
        assertThat(backoff.next()).isEqualTo(LONGEST);
    }

    private static List<Long> delaysMs(Backoff backoff, int retries) {
        List<Long> delays = new ArrayList<>();
        for (int retry = 0; retry < retries; retry++) {
            delays.add(backoff.next().toMillis());
        }
        return delays;
    }

    /** A source that always draws the lowest value asked for, or the highest. */
    private static RandomGenerator fixed(boolean highest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("draws are bounded");
            }

            @Override
            public long nextLong(long bound) {
                return highest ? bound - 1 : 0;
            }
        };
    }
}
