package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link StatementContract} on PostgreSQL. */
class PostgresStatementIT extends StatementContract {
    PostgresStatementIT() {
        super(Backend.POSTGRESQL);
    }
}
