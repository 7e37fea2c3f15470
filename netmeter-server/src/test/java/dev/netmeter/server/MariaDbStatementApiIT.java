package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbStatementApiIT extends StatementApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
