package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbConcurrentCreateApiIT extends ConcurrentCreateApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
