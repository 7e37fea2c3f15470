package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageContract} on MariaDB. */
class MariaDbUsageIT extends UsageContract {
    MariaDbUsageIT() {
        super(Backend.MARIADB);
    }
}
