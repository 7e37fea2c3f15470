package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase;

class PostgresDatabaseOutageIT extends DatabaseOutageContract {
    @Override
    TestDatabase.Backend backend() {
        return TestDatabase.Backend.POSTGRESQL;
    }
}
