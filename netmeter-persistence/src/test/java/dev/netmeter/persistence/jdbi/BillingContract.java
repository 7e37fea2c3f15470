package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.domain.error.BillingCycleNotFoundException;
import dev.netmeter.domain.error.PolicyNotAuthorizedException;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.BillingService.CycleState;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing cycles on every backend: a project's changes come back in period order, an upsert replaces the change
 * of the same period and only it, a delete takes the pending changes and leaves the settled ones, and projects
 * do not see each other's; through the service, at instants set by the test, a change is pending until the
 * period in progress ends and the next one is a transition, and a tenant reads its own project's cycle only.
 */
abstract class BillingContract extends DatabaseContract {
    private static final ProjectId PROJECT = new ProjectId("billed");
    private static final ProjectId OTHER = new ProjectId("other");
    private static final BillingCycle BERLIN_15 = new BillingCycle(15, ZoneId.of("Europe/Berlin"));
    private static final BillingCycle NEW_YORK_28 = new BillingCycle(28, ZoneId.of("America/New_York"));
    private static final BillingCycle UTC_1 = new BillingCycle(1, ZoneId.of("UTC"));

    private static final RequestContext MEMBER = new RequestContext(PROJECT, "member", Set.of("member"));

    private final AtomicReference<Instant> now = new AtomicReference<>();
    /** The service's clock: what {@link #now} says. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

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

    @Test
    void the_service_keeps_the_period_in_progress_and_makes_the_next_one_a_transition() {
        BillingService billing = new BillingService(transactor, Policy.defaults(), clock);

        now.set(Instant.parse("2026-11-10T12:00:00Z"));
        CycleState changed = billing.update(TestData.ADMIN, PROJECT, BERLIN_15);
        assertThat(changed.cycle()).isEqualTo(BillingCycle.DEFAULT);
        assertThat(changed.currentPeriod()).isEqualTo(period("2026-11", "2026-11-01T00:00:00Z",
                "2026-12-01T00:00:00Z"));
        assertThat(changed.pending()).contains(new CycleChange(YearMonth.of(2026, 12), BERLIN_15));

        // December: the transition, from 1 December UTC to 15 January 00:00 in Berlin (+01:00)
        now.set(Instant.parse("2026-12-20T00:00:00Z"));
        CycleState inDecember = billing.get(MEMBER, PROJECT);
        assertThat(inDecember.cycle()).isEqualTo(BERLIN_15);
        assertThat(inDecember.currentPeriod()).isEqualTo(period("2026-12", "2026-12-01T00:00:00Z",
                "2027-01-14T23:00:00Z"));
        assertThat(inDecember.pending()).isEmpty();

        // a change back keeps December and the change that made it, and starts January at Berlin's boundary
        CycleState back = billing.update(TestData.ADMIN, PROJECT, BillingCycle.DEFAULT);
        assertThat(back.currentPeriod()).isEqualTo(inDecember.currentPeriod());
        assertThat(back.pending()).contains(new CycleChange(YearMonth.of(2027, 1), BillingCycle.DEFAULT));
        now.set(Instant.parse("2027-01-20T00:00:00Z"));
        assertThat(billing.get(MEMBER, PROJECT).currentPeriod()).isEqualTo(period("2027-01",
                "2027-01-14T23:00:00Z", "2027-02-01T00:00:00Z"));
        assertThat(schedule(PROJECT).changes()).containsExactly(new CycleChange(YearMonth.of(2026, 12), BERLIN_15),
                new CycleChange(YearMonth.of(2027, 1), BillingCycle.DEFAULT));
    }

    @Test
    void the_service_shows_a_tenant_its_own_cycle_only_and_lets_it_change_none() {
        BillingService billing = new BillingService(transactor, Policy.defaults(), clock);
        now.set(Instant.parse("2026-11-10T12:00:00Z"));

        assertThatThrownBy(() -> billing.get(MEMBER, OTHER)).isInstanceOf(BillingCycleNotFoundException.class);
        assertThatThrownBy(() -> billing.update(MEMBER, OTHER, BERLIN_15))
                .isInstanceOf(BillingCycleNotFoundException.class);
        assertThatThrownBy(() -> billing.update(MEMBER, PROJECT, BERLIN_15))
                .isInstanceOf(PolicyNotAuthorizedException.class);
        assertThat(schedule(PROJECT)).isEqualTo(BillingSchedule.DEFAULT);
    }

    private static BillingPeriod period(String name, String start, String end) {
        return new BillingPeriod(YearMonth.parse(name), Instant.parse(start), Instant.parse(end));
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
