package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbUsageApiIT extends UsageApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
