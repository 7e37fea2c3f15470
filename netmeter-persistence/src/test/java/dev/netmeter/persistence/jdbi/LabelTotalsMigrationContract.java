package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The label totals behind {@code /metrics} start from what a database upgraded to them already holds: the
 * migration that adds them sums the (router, label) totals stored before, on every backend.
 */
abstract class LabelTotalsMigrationContract {
    /** The migration that adds the label totals: V6__usage_label_totals.sql. */
    private static final MigrationVersion LABEL_TOTALS = MigrationVersion.fromVersion("6");
    private final Backend backend;

    LabelTotalsMigrationContract(Backend backend) {
        this.backend = backend;
    }

    @Test
    void the_label_totals_start_as_the_sums_of_the_router_totals_stored_before_the_upgrade() {
        try (TestDatabase test = TestDatabase.create(backend)) {
            DatabaseSettings settings = test.settings();
            FluentConfiguration migrations = Flyway.configure()
                    .dataSource(settings.url(), settings.user(), settings.password())
                    .locations("classpath:db/migration").placeholders(Dialect.of(settings.url()).placeholders());
            MigrationVersion before = Arrays.stream(migrations.load().info().all())
                    .map(MigrationInfo::getVersion)
                    .filter(version -> version.compareTo(LABEL_TOTALS) < 0)
                    .max(MigrationVersion::compareTo).orElseThrow();
            migrations.target(before).load().migrate();
            UUID label = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            Jdbi.create(settings.url(), settings.user(), settings.password()).useHandle(handle -> {
                String insert = "INSERT INTO metering_usage_totals (router_id, label_id, project_id, packets, bytes, "
                        + "first_update, last_update) VALUES ('%s', '%s', 'p1', %d, %d, %d, %d)";
                handle.execute(insert.formatted(UUID.randomUUID(), label, 1, 10, 100, 200));
                handle.execute(insert.formatted(UUID.randomUUID(), label, 2, 20, 50, 300));
                handle.execute(insert.formatted(UUID.randomUUID(), other, 4, 40, 70, 80));
            });

            List<LabelTotal> totals = test.open().transactor().inSnapshot(repos -> repos.usage().labelTotals());

            assertThat(totals).containsExactlyInAnyOrder(
                    new LabelTotal(new LabelId(label), new ProjectId("p1"), usage(3, 30, 50, 300)),
                    new LabelTotal(new LabelId(other), new ProjectId("p1"), usage(4, 40, 70, 80)));
        }
    }

    private static Usage usage(long packets, long bytes, long first, long last) {
        return new Usage(packets, bytes, Instant.ofEpochSecond(first), Instant.ofEpochSecond(last));
    }
}
