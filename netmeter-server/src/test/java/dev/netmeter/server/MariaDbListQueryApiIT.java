package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbListQueryApiIT extends ListQueryApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
