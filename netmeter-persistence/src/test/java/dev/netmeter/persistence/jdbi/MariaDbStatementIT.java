package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link StatementContract} on MariaDB. */
class MariaDbStatementIT extends StatementContract {
    MariaDbStatementIT() {
        super(Backend.MARIADB);
    }
}
