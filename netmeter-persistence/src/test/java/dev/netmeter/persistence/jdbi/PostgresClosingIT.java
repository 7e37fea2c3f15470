package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosingContract} on PostgreSQL. */
class PostgresClosingIT extends ClosingContract {
    PostgresClosingIT() {
        super(Backend.POSTGRESQL);
    }
}
