package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2BulkCreateApiTest extends BulkCreateApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
