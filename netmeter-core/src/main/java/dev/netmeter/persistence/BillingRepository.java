package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import java.time.YearMonth;

/** Each project's changes of billing cycle. Bound to one transaction, which the caller owns; not thread-safe. */
public interface BillingRepository {
    /** The project's schedule: {@link BillingSchedule#DEFAULT} if its cycle was never changed. */
    BillingSchedule schedule(ProjectId project);

    /** Stores {@code change}, in place of the project's change effective from the same period, if any. */
    void upsert(ProjectId project, CycleChange change);

    /** Deletes the project's changes effective from {@code month} or later (pending ones). */
    void deleteFrom(ProjectId project, YearMonth month);
}
