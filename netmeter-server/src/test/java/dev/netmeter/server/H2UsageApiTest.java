package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2UsageApiTest extends UsageApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
