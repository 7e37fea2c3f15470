package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2ListQueryApiTest extends ListQueryApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
