package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageContract} on PostgreSQL. */
class PostgresUsageIT extends UsageContract {
    PostgresUsageIT() {
        super(Backend.POSTGRESQL);
    }
}
