package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbRouterApiIT extends RouterApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
