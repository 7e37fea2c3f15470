package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link OutboxContract} on PostgreSQL. */
class PostgresOutboxIT extends OutboxContract {
    PostgresOutboxIT() {
        super(Backend.POSTGRESQL);
    }
}
