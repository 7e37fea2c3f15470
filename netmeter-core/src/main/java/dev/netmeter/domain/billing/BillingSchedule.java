package dev.netmeter.domain.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's billing cycles over time: {@link BillingCycle#DEFAULT} until the first change, then each change's
 * cycle from the period it names on.
 *
 * <p>A change made while period M is in progress takes effect from period M+1; the period in progress keeps
 * the boundaries it was started with, since a customer may already have been told them. With C(M) the cycle in
 * force for period M, period M runs from {@code C(M-1).startOf(M)} to {@code C(M).startOf(M+1)}: it starts
 * where the previous period ended, so periods are contiguous, never overlap and each month names one period.
 * The first period under a new cycle is therefore a transition period, from the old cycle's boundary to the
 * new one's, longer or shorter than a month. Start day 1 changed to 15 during November 2026: November stays
 * 1 November to 1 December, December runs from 1 December to 15 January, January from 15 January to
 * 15 February.
 *
 * <p>A transition period is billed like any other: its 95th percentile is taken over all of its five-minute
 * samples by the same rule ({@link BurstableRate}, the highest 5 % of its {@link BillingPeriod#samples()}
 * dropped), so a longer period drops more samples and a shorter one fewer; it is not prorated.
 *
 * @param changes the changes, in order of the periods they take effect from, each from a different period
 */
public record BillingSchedule(List<CycleChange> changes) {
    /** A project nobody configured: calendar months in UTC. */
    public static final BillingSchedule DEFAULT = new BillingSchedule(List.of());

    public BillingSchedule {
        changes = List.copyOf(changes);
        for (int i = 1; i < changes.size(); i++) {
            if (!changes.get(i).effectiveFrom().isAfter(changes.get(i - 1).effectiveFrom())) {
                throw new IllegalArgumentException("changes take effect in order, one per period: " + changes);
            }
        }
    }

    /**
     * A change of cycle.
     *
     * @param effectiveFrom the first period the cycle is in force for (a transition period, see above)
     */
    public record CycleChange(YearMonth effectiveFrom, BillingCycle cycle) {
        public CycleChange {
            Objects.requireNonNull(effectiveFrom, "effectiveFrom");
            Objects.requireNonNull(cycle, "cycle");
        }
    }

    /** The cycle in force for period {@code month}: the one that decides where it ends. */
    public BillingCycle cycleFor(YearMonth month) {
        BillingCycle cycle = BillingCycle.DEFAULT;
        for (CycleChange change : changes) {
            if (change.effectiveFrom().isAfter(month)) {
                break;
            }
            cycle = change.cycle();
        }
        return cycle;
    }

    /** The period named {@code month}: from the previous period's end to its own cycle's next boundary. */
    public BillingPeriod period(YearMonth month) {
        return new BillingPeriod(month, cycleFor(month.minusMonths(1)).startOf(month),
                cycleFor(month).startOf(month.plusMonths(1)));
    }

    /** The period {@code instant} lies in. */
    public BillingPeriod periodOf(Instant instant) {
        // A period starts on day 1 to 28 of its month in a zone at most 14 hours from UTC, and ends where the
        // next month's period starts: the instant's month in UTC, or one either side.
        YearMonth utc = YearMonth.from(instant.atOffset(ZoneOffset.UTC));
        for (YearMonth month = utc.plusMonths(1); !month.isBefore(utc.minusMonths(1)); month = month.minusMonths(1)) {
            BillingPeriod period = period(month);
            if (period.contains(instant)) {
                return period;
            }
        }
        throw new IllegalStateException("no period contains " + instant + " in " + this);
    }

    /** The change that takes effect after the period {@code now} lies in, if one was made. */
    public Optional<CycleChange> pending(Instant now) {
        YearMonth current = periodOf(now).name();
        return changes.stream().filter(change -> change.effectiveFrom().isAfter(current)).findFirst();
    }

    /**
     * This schedule with {@code cycle} in force from the period after the one {@code now} lies in. It replaces
     * a change already pending for that period; a cycle equal to the one in force now leaves no change pending
     * (and so cancels a pending one), since the next period is then cut as it would have been anyway.
     */
    public BillingSchedule withChange(BillingCycle cycle, Instant now) {
        YearMonth next = periodOf(now).name().plusMonths(1);
        List<CycleChange> kept = new ArrayList<>(changes.stream()
                .filter(change -> change.effectiveFrom().isBefore(next)).toList());
        BillingSchedule withoutPending = new BillingSchedule(kept);
        if (!withoutPending.cycleFor(next).equals(cycle)) {
            kept.add(new CycleChange(next, cycle));
        }
        return new BillingSchedule(kept);
    }
}
