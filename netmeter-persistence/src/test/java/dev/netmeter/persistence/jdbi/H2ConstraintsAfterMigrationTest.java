package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database checks its constraints on every connection, also once the connection that created them
 * is gone while the database stays open: what happens to a server's pool when it retires the connection that ran
 * the migrations (after 30 minutes at the latest). H2 2.4.240 then refused every rule ("Check constraint
 * invalid", h2database issues 4291, 4302, 4308), so netmeter stays off that version.
 */
class H2ConstraintsAfterMigrationTest {
    @TempDir
    Path dir;

    @Test
    void a_rule_is_stored_after_the_connection_that_migrated_the_database_closed() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("netmeter").toAbsolutePath();
        try (Connection keepsTheDatabaseOpen = DriverManager.getConnection(url, "", "")) {
            assertThat(keepsTheDatabaseOpen.isValid(1)).isTrue();
            Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration")
                    .javaMigrations(new PackUsageMigration(), new BackfillUsageSamples())
                    .placeholders(Dialect.of(url).placeholders()).load().migrate();    // its connection closes
            try (Database database = Database.open(new DatabaseSettings(url, "", "", 2, Duration.ofSeconds(10)))) {
                TestData data = new TestData(database.transactor());
                LabelId label = data.label("p1");

                MeteringLabelRule rule = data.rule(TestData.remote(label, Direction.EGRESS, "10.0.0.0/8"));

                assertThat(rule.direction()).isEqualTo(Direction.EGRESS);
            }
        }
    }
}
