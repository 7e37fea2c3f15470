package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesContract} on PostgreSQL. */
class PostgresUsageSamplesIT extends UsageSamplesContract {
    PostgresUsageSamplesIT() {
        super(Backend.POSTGRESQL);
    }
}
