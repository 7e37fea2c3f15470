package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2PaginationApiTest extends PaginationApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
