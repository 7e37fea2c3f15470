package dev.netmeter.service;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.domain.error.BillingCycleNotFoundException;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Reading and changing a project's billing cycle. A change takes effect from the period after the current one
 * ({@link BillingSchedule}). Thread-safe; holds no per-request state.
 */
public final class BillingService {
    private final Transactor tx;
    private final Policy policy;
    private final Clock clock;

    public BillingService(Transactor tx, Policy policy, Clock clock) {
        this.tx = tx;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * A project's billing cycle as of one instant.
     *
     * @param cycle the cycle in force for the current period
     * @param currentPeriod the period the instant lies in
     * @param pending the change that takes effect from the next period, if one was made
     */
    public record CycleState(ProjectId project, BillingCycle cycle, BillingPeriod currentPeriod,
                             Optional<CycleChange> pending) {
        static CycleState of(ProjectId project, BillingSchedule schedule, Instant now) {
            BillingPeriod current = schedule.periodOf(now);
            return new CycleState(project, schedule.cycleFor(current.name()), current, schedule.pending(now));
        }
    }

    /**
     * The project's billing cycle now: the default (calendar months in UTC) if nobody changed it.
     *
     * @throws BillingCycleNotFoundException if the caller may not see the project's
     */
    public CycleState get(RequestContext caller, ProjectId project) {
        requireVisible(caller, project);
        return tx.inTransaction(repos -> CycleState.of(project, repos.billing().schedule(project), clock.instant()));
    }

    /**
     * Makes {@code cycle} the project's from the next period on, in place of a change already pending; the
     * cycle in force now leaves no change pending. A project the caller cannot see is not found (404), one it
     * sees but may not change forbidden (403).
     */
    public CycleState update(RequestContext caller, ProjectId project, BillingCycle cycle) {
        requireVisible(caller, project);
        policy.enforce(Policy.UPDATE_BILLING_CYCLE, caller, project);
        return tx.inTransaction(repos -> {
            Instant now = clock.instant();
            BillingSchedule schedule = repos.billing().schedule(project).withChange(cycle, now);
            store(repos, project, schedule, now);
            return CycleState.of(project, schedule, now);
        });
    }

    /** Replaces what is pending: the periods up to the current one are settled and stay as stored. */
    private static void store(Repositories repos, ProjectId project, BillingSchedule schedule, Instant now) {
        repos.billing().deleteFrom(project, schedule.periodOf(now).name().plusMonths(1));
        schedule.pending(now).ifPresent(change -> repos.billing().upsert(project, change));
    }

    private void requireVisible(RequestContext caller, ProjectId project) {
        if (!policy.allows(Policy.GET_BILLING_CYCLE, caller, project)) {
            throw new BillingCycleNotFoundException(project.value());
        }
    }
}
