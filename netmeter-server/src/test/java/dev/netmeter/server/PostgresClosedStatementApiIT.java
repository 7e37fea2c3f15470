package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosedStatementApiContract} on PostgreSQL. */
class PostgresClosedStatementApiIT extends ClosedStatementApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
