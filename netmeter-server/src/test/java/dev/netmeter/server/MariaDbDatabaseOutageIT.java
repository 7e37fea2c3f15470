package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase;

class MariaDbDatabaseOutageIT extends DatabaseOutageContract {
    @Override
    TestDatabase.Backend backend() {
        return TestDatabase.Backend.MARIADB;
    }
}
