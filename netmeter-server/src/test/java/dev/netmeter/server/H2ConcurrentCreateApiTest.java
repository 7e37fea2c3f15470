package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2ConcurrentCreateApiTest extends ConcurrentCreateApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
