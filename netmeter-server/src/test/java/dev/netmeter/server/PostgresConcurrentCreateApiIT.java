package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresConcurrentCreateApiIT extends ConcurrentCreateApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
