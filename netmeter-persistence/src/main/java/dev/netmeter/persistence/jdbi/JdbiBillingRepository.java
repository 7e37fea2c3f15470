package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.persistence.BillingRepository;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.jdbi.v3.core.Handle;

/** Billing cycles in the table {@code metering_billing_cycles}. Bound to one transaction's handle; not thread-safe. */
final class JdbiBillingRepository implements BillingRepository {
    private static final Map<Dialect, String> UPSERT = new EnumMap<>(Dialect.class);

    static {
        SequencedMap<String, String> updates = new LinkedHashMap<>();
        updates.put("start_day", "offered.start_day");
        updates.put("time_zone", "offered.time_zone");
        for (Dialect dialect : Dialect.values()) {
            UPSERT.put(dialect, dialect.upsert("metering_billing_cycles", List.of("project_id", "effective_from"),
                    List.of("project_id", "effective_from", "start_day", "time_zone"), updates));
        }
    }

    private final Handle handle;
    private final Dialect dialect;

    JdbiBillingRepository(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public BillingSchedule schedule(ProjectId project) {
        // 'YYYY-MM' sorts as the months do.
        return new BillingSchedule(handle.createQuery("""
                SELECT effective_from, start_day, time_zone FROM metering_billing_cycles
                WHERE project_id = :project ORDER BY effective_from""")
                .bind("project", project.value())
                .map((rs, ctx) -> new CycleChange(YearMonth.parse(rs.getString("effective_from")),
                        new BillingCycle(rs.getInt("start_day"), ZoneId.of(rs.getString("time_zone")))))
                .list());
    }

    @Override
    public void upsert(ProjectId project, CycleChange change) {
        try {
            runUpsert(project, change);
        } catch (RuntimeException e) {
            // H2's MERGE does not lock the key it finds missing: a concurrent insert of the same change makes it
            // fail on the duplicate key, and running it again updates that row (see Dialect.upsert). H2 keeps the
            // transaction usable after a failed statement.
            if (dialect != Dialect.H2 || !SqlFailure.isDuplicateKey(e)) {
                throw e;
            }
            runUpsert(project, change);
        }
    }

    private void runUpsert(ProjectId project, CycleChange change) {
        handle.createUpdate(UPSERT.get(dialect))
                .bind("project_id", project.value())
                .bind("effective_from", change.effectiveFrom().toString())
                .bind("start_day", change.cycle().startDay())
                .bind("time_zone", change.cycle().zoneName())
                .execute();
    }

    @Override
    public void deleteFrom(ProjectId project, YearMonth month) {
        handle.createUpdate("""
                DELETE FROM metering_billing_cycles WHERE project_id = :project AND effective_from >= :month""")
                .bind("project", project.value())
                .bind("month", month.toString())
                .execute();
    }
}
