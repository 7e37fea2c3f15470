package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ConcurrencyContract} on MariaDB. */
class MariaDbConcurrencyIT extends ConcurrencyContract {
    MariaDbConcurrencyIT() {
        super(Backend.MARIADB);
    }
}
