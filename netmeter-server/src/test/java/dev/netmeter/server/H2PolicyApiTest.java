package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2PolicyApiTest extends PolicyApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
