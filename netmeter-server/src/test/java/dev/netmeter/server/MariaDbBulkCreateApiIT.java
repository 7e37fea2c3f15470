package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbBulkCreateApiIT extends BulkCreateApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
