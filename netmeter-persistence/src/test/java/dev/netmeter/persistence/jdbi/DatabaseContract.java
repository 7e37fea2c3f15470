package dev.netmeter.persistence.jdbi;

import static dev.netmeter.persistence.jdbi.TestData.ADMIN;

import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the contract tests that run on every backend: one migrated database per test class, emptied
 * after each test through the services. A subclass per backend passes its {@link Backend}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseContract {
    static final ListQuery<LabelField> ALL_LABELS = new ListQuery<LabelField>(Map.of(), List.of(),
            Optional.empty(), Optional.empty());
    static final ListQuery<RouterField> ALL_ROUTERS = new ListQuery<RouterField>(Map.of(), List.of(),
            Optional.empty(), Optional.empty());
    static final ListQuery<RuleField> ALL_RULES = new ListQuery<RuleField>(Map.of(), List.of(),
            Optional.empty(), Optional.empty());

    private final Backend backend;
    private TestDatabase testDatabase;
    Database database;
    Transactor transactor;
    TestData data;
    MeteringLabelService labels;
    MeteringRuleService rules;

    DatabaseContract(Backend backend) {
        this.backend = backend;
    }

    /**
     * Opened before the first test rather than in {@code @BeforeAll}: if the backend is missing, each test is
     * then reported as skipped (or failed, under CI), where a class-level abort would show "Tests run: 0".
     */
    @BeforeEach
    final void open_database_once() {
        if (testDatabase == null) {
            TestDatabase created = TestDatabase.create(backend);
            try {
                database = created.open();
                transactor = database.transactor();
            } catch (RuntimeException e) {
                created.close();
                throw e;
            }
            testDatabase = created;
            data = new TestData(transactor);
            labels = data.labels();
            rules = data.rules();
        }
    }

    /** Runs {@code sql} on the test database, outside every service: for states the services cannot make. */
    void execute(String sql) {
        DatabaseSettings settings = testDatabase.settings();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(settings.url(), settings.user(),
                settings.password()); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deleting every label deletes every rule too (the cascade is tested on its own). */
    @AfterEach
    final void delete_everything() {
        if (data != null) {
            for (Router router : data.routers().list(ADMIN, ALL_ROUTERS)) {
                data.routers().delete(ADMIN, router.id().toString());
            }
        }
        if (labels != null) {
            for (MeteringLabel label : labels.list(ADMIN, ALL_LABELS)) {
                labels.delete(ADMIN, label.id().toString());
            }
        }
    }

    @AfterAll
    final void drop_database() {
        if (testDatabase != null) {
            testDatabase.close();
        }
    }
}
