package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresPolicyApiIT extends PolicyApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
