package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosedStatementApiContract} on MariaDB. */
class MariaDbClosedStatementApiIT extends ClosedStatementApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
