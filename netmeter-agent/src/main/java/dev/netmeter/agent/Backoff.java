package dev.netmeter.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between retries that double from a first ceiling up to a longest one, each drawn at random between
 * half its ceiling and the ceiling ("equal jitter"). Without the draw, the thousands of agents an outage of
 * the server cut off would all retry at the same instants, and hit it in lockstep when it comes back; with it
 * they spread over half the ceiling, while none retries sooner than half of it. Not thread-safe.
 */
final class Backoff {
    private final Duration first;
    private final Duration longest;
    private final RandomGenerator random;
    private Duration ceiling;

    /** Delays from {@code first} to {@code longest}, drawn from {@code random} (pinned by a test). */
    Backoff(Duration first, Duration longest, RandomGenerator random) {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff from " + first + " to " + longest);
        }
        this.first = first;
        this.longest = longest;
        this.random = random;
        this.ceiling = first;
    }

    /** The delay before the next retry; the one after may be up to twice as long. */
    Duration next() {
        Duration delay = drawn();
        Duration doubled = ceiling.multipliedBy(2);
        ceiling = doubled.compareTo(longest) > 0 ? longest : doubled;
        return delay;
    }

    /** The delay before the next retry, at the longest ceiling at once; the following ones stay there. */
    Duration nextAtLongest() {
        ceiling = longest;
        return drawn();
    }

    /** After a success: the next failure waits the shortest delays again. */
    void reset() {
        ceiling = first;
    }

    /** The longest delay this backoff waits. */
    Duration longest() {
        return longest;
    }

    private Duration drawn() {
        long half = ceiling.toMillis() / 2;
        return Duration.ofMillis(ceiling.toMillis() - half + random.nextLong(half + 1));
    }
}
