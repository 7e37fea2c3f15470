package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link PolicyContract} on MariaDB. */
class MariaDbPolicyIT extends PolicyContract {
    MariaDbPolicyIT() {
        super(Backend.MARIADB);
    }
}
