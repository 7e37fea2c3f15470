package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbPolicyApiIT extends PolicyApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
