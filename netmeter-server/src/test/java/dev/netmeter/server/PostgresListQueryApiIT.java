package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresListQueryApiIT extends ListQueryApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
