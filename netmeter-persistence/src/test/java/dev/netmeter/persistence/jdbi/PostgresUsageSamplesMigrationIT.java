package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesMigrationContract} on PostgreSQL. */
class PostgresUsageSamplesMigrationIT extends UsageSamplesMigrationContract {
    PostgresUsageSamplesMigrationIT() {
        super(Backend.POSTGRESQL);
    }
}
