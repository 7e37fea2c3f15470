package dev.netmeter.domain.usage;

import dev.netmeter.domain.error.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The time range of a usage query, [{@code start}, {@code end}), cut into steps of {@code step} from
 * {@code start} (the last one ends at {@code end}, so it may be shorter). Immutable.
 *
 * <p>Stored rows carry whole seconds ({@code last_update}), so a row is in the range when
 * {@link #firstSecond()} ≤ last_update &lt; {@link #endSecond()} (the range's ends rounded up to a second),
 * and in step {@code (last_update - firstSecond()) / stepSeconds()}: exact for any start, because steps are
 * whole seconds.
 */
public record UsageWindow(Instant start, Instant end, Duration step) {
    /** The range when a query names neither end: the last day. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    /** The most steps a query may ask for. */
    public static final int MAX_STEPS = 10_000;

    public UsageWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(step, "step");
        if (!start.isBefore(end) || step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("empty window or step: %s, %s, %s".formatted(start, end, step));
        }
    }

    /**
     * The window a query asks for. Without {@code end}, it ends {@code now}; without {@code start}, it
     * starts {@link #DEFAULT_RANGE} before its end; without {@code stepSeconds}, it is one step.
     *
     * @throws InvalidRequestException naming the parameter, if start is not before end, the step is not
     *     positive, or there would be more than {@link #MAX_STEPS} steps
     */
    public static UsageWindow of(Optional<Instant> start, Optional<Instant> end, Optional<Long> stepSeconds,
                                 Instant now) {
        Instant to = end.orElse(now);
        Instant from = start.orElseGet(() -> to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("Invalid input for start. Reason: '%s' is not before end '%s'."
                    .formatted(from, to));
        }
        Duration range = Duration.between(from, to);
        if (stepSeconds.isEmpty()) {
            return new UsageWindow(from, to, range);
        }
        long seconds = stepSeconds.get();
        if (seconds < 1) {
            throw new InvalidRequestException(("Invalid input for step. Reason: '%d' is not a positive number of "
                    + "seconds.").formatted(seconds));
        }
        Duration step = Duration.ofSeconds(seconds);
        if (step.compareTo(range) >= 0) {
            return new UsageWindow(from, to, range);    // one step, the range: a step beyond it ends nowhere
        }
        long steps = steps(range, step);
        if (steps > MAX_STEPS) {
            throw new InvalidRequestException(("Invalid input for step. Reason: %d steps of %d seconds from %s to %s, "
                    + "more than %d.").formatted(steps, seconds, from, to, MAX_STEPS));
        }
        return new UsageWindow(from, to, step);
    }

    private static long steps(Duration range, Duration step) {
        long whole = range.dividedBy(step);
        return step.multipliedBy(whole).equals(range) ? whole : whole + 1;
    }

    /** The first whole second in the range: the start, rounded up. */
    public long firstSecond() {
        return ceilSeconds(start);
    }

    /** The first whole second after the range: the end, rounded up. */
    public long endSecond() {
        return ceilSeconds(end);
    }

    /** The step in whole seconds, as rows are grouped; at least 1 (a one-step window shorter than a second). */
    public long stepSeconds() {
        return Math.max(1, step.getNano() == 0 ? step.getSeconds() : step.getSeconds() + 1);
    }

    /** Step {@code index}: [start + index × step, min(end, start + (index + 1) × step)). */
    public UsageStepBounds bounds(long index) {
        Instant from = start.plus(step.multipliedBy(index));
        Instant to = from.plus(step);
        return new UsageStepBounds(from, to.isAfter(end) ? end : to);
    }

    /** The bounds of one step. */
    public record UsageStepBounds(Instant start, Instant end) {
    }

    private static long ceilSeconds(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }
}
