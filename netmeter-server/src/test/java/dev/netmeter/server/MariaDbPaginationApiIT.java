package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbPaginationApiIT extends PaginationApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
