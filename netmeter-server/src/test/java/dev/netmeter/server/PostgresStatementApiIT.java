package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresStatementApiIT extends StatementApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
