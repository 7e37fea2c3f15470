package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresBulkCreateApiIT extends BulkCreateApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
