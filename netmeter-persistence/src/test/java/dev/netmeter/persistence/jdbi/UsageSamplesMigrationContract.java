package dev.netmeter.persistence.jdbi;

import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BurstableRate;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.Policy;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A database upgraded to the days of samples gets them for the usage it stored before (migration 9.1,
 * {@link BackfillUsageSamples}), each row spread on its own so that statements read exactly as they did, on every
 * backend.
 */
abstract class UsageSamplesMigrationContract {
    private static final long NOV_30 = 20_787;
    private static final long DEC_1 = 20_788;
    private final Backend backend;

    UsageSamplesMigrationContract(Backend backend) {
        this.backend = backend;
    }

    @Test
    void the_days_are_filled_in_from_the_rows_stored_before_the_upgrade() {
        try (TestDatabase test = TestDatabase.create(backend)) {
            DatabaseSettings settings = test.settings();
            // Rows stored a table row each, as before V8: opening the database packs them (8.1), then fills in
            // their days (9.1), the whole upgrade.
            Flyway.configure().dataSource(settings.url(), settings.user(), settings.password())
                    .locations("classpath:db/migration").placeholders(Dialect.of(settings.url()).placeholders())
                    .target("7").load().migrate();
            UUID label = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            Jdbi.create(settings.url(), settings.user(), settings.password()).useHandle(handle -> {
                // 23:57:30 to 00:02:30, half in each day: each row's 1 byte and 1 packet goes to the earlier sample
                // (equal remainders), so November has 2 of each and December none (its sample covered all the same).
                String straddling = report(handle, "2026-11-30T23:57:30Z", "2026-12-01T00:02:30Z");
                row(handle, straddling, label, "p1", 1, 1);
                row(handle, straddling, label, "p1", 1, 1);
                // a window of no length, and another project's label in the same day
                String instant = report(handle, "2026-11-30T06:00:00Z", "2026-11-30T06:00:00Z");
                row(handle, instant, label, "p1", 3, 300);
                row(handle, instant, other, "p2", 4, 400);
            });

            Database database = test.open();

            Map<SampleDayKey, DailySamples> days = new TreeMap<>();
            database.transactor().inSnapshot(repos -> {
                repos.usage().forEachSampleDay(new ProjectId("p1"), NOV_30, DEC_1, days::put);
                repos.usage().forEachSampleDay(new ProjectId("p2"), NOV_30, DEC_1, days::put);
                return null;
            });
            assertThat(days).containsExactlyInAnyOrderEntriesOf(Map.of(
                    key("p1", label, NOV_30), DailySamples.builder().add(72, 300, 3).add(287, 2, 2).build(),
                    key("p1", label, DEC_1), DailySamples.builder().cover(0).build(),
                    key("p2", other, NOV_30), DailySamples.builder().add(72, 400, 4).build()));
            BillingService billing = new BillingService(database.transactor(), Policy.defaults(), Clock.systemUTC());
            assertThat(billing.statement(ADMIN, new ProjectId("p1"), Optional.of(YearMonth.of(2026, 12))).lines())
                    .extracting(BillingService.Line::line).containsExactly(new StatementLine(new LabelId(label),
                            Optional.empty(), 0, 0, new BurstableRate(0, 0, 31 * 288)));
        }
    }

    private static SampleDayKey key(String project, UUID label, long day) {
        return new SampleDayKey(new ProjectId(project), new LabelId(label), Optional.empty(), day);
    }

    private static String report(Handle handle, String start, String end) {
        String id = UUID.randomUUID().toString();
        handle.createUpdate("""
                INSERT INTO metering_usage_reports (id, host, window_start_ns, window_end_ns, received_at_ms,
                    content_sha256, row_count)
                VALUES (:id, 'h1', :start, :end, 0, :sha, 2)""")
                .bind("id", id)
                .bind("start", nanos(Instant.parse(start)))
                .bind("end", nanos(Instant.parse(end)))
                .bind("sha", "0".repeat(64))
                .execute();
        return id;
    }

    private static void row(Handle handle, String report, UUID label, String project, long packets, long bytes) {
        handle.createUpdate("""
                INSERT INTO metering_usage (report_id, router_id, label_id, project_id, packets, bytes, first_update,
                    last_update)
                VALUES (:report, :router, :label, :project, :packets, :bytes, 0, 0)""")
                .bind("report", report)
                .bind("router", UUID.randomUUID().toString())
                .bind("label", label.toString())
                .bind("project", project)
                .bind("packets", packets)
                .bind("bytes", bytes)
                .execute();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
