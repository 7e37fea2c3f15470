package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2RouterApiTest extends RouterApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
