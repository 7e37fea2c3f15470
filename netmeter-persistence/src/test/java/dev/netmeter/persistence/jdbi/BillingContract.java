package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing cycles on every backend: a project's changes come back in period order, an upsert replaces the change
 * of the same period and only it, a delete takes the pending changes and leaves the settled ones, and projects
 * do not see each other's.
 */
abstract class BillingContract extends DatabaseContract {
    private static final ProjectId PROJECT = new ProjectId("billed");
    private static final ProjectId OTHER = new ProjectId("other");
    private static final BillingCycle BERLIN_15 = new BillingCycle(15, ZoneId.of("Europe/Berlin"));
    private static final BillingCycle NEW_YORK_28 = new BillingCycle(28, ZoneId.of("America/New_York"));
    private static final BillingCycle UTC_1 = new BillingCycle(1, ZoneId.of("UTC"));

    BillingContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void no_cycles() {
        execute("DELETE FROM metering_billing_cycles");
    }

    @Test
    void a_project_nobody_configured_has_the_default_schedule() {
        assertThat(schedule(PROJECT)).isEqualTo(BillingSchedule.DEFAULT);
    }

    @Test
    void changes_come_back_in_period_order_across_years() {
        upsert(PROJECT, new CycleChange(YearMonth.of(2027, 1), NEW_YORK_28));
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 9), UTC_1));

        assertThat(schedule(PROJECT).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 9), UTC_1),
                new CycleChange(YearMonth.of(2026, 12), BERLIN_15),
                new CycleChange(YearMonth.of(2027, 1), NEW_YORK_28));
        // stored as UTC, read back as the default's zone
        assertThat(schedule(PROJECT).cycleFor(YearMonth.of(2026, 9))).isEqualTo(BillingCycle.DEFAULT);
    }

    @Test
    void an_upsert_replaces_the_change_of_the_same_period_only() {
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 11), UTC_1));
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 12), NEW_YORK_28));

        assertThat(schedule(PROJECT).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 11), UTC_1),
                new CycleChange(YearMonth.of(2026, 12), NEW_YORK_28));
    }

    @Test
    void a_delete_takes_the_changes_from_its_month_on_of_its_project_only() {
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 11), BERLIN_15));
        upsert(PROJECT, new CycleChange(YearMonth.of(2026, 12), NEW_YORK_28));
        upsert(PROJECT, new CycleChange(YearMonth.of(2027, 2), UTC_1));
        upsert(OTHER, new CycleChange(YearMonth.of(2026, 12), BERLIN_15));

        transactor.inTransaction(repos -> {
            repos.billing().deleteFrom(PROJECT, YearMonth.of(2026, 12));
            return null;
        });

        assertThat(schedule(PROJECT).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 11), BERLIN_15));
        assertThat(schedule(OTHER).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
    }

    @Test
    void a_project_id_of_255_characters_outside_the_basic_plane_is_stored_as_it_is() {
        ProjectId emoji = new ProjectId("\uD83D\uDE00".repeat(ProjectId.MAX_LENGTH));
        upsert(emoji, new CycleChange(YearMonth.of(2026, 12), BERLIN_15));

        assertThat(schedule(emoji).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), BERLIN_15));
        assertThat(schedule(new ProjectId("\uD83D\uDE00"))).isEqualTo(BillingSchedule.DEFAULT);
    }

    private void upsert(ProjectId project, CycleChange change) {
        transactor.inTransaction(repos -> {
            repos.billing().upsert(project, change);
            return null;
        });
    }

    private BillingSchedule schedule(ProjectId project) {
        return transactor.inTransaction(repos -> repos.billing().schedule(project));
    }
}
