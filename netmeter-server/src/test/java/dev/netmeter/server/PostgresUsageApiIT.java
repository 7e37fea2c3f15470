package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresUsageApiIT extends UsageApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
