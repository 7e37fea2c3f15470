package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosingContract} on MariaDB. */
class MariaDbClosingIT extends ClosingContract {
    MariaDbClosingIT() {
        super(Backend.MARIADB);
    }
}
