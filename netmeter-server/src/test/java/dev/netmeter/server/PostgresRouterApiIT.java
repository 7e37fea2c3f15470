package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresRouterApiIT extends RouterApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
