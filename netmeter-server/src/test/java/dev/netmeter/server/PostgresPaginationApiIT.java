package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresPaginationApiIT extends PaginationApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
