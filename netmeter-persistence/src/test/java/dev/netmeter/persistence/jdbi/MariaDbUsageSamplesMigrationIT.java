package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesMigrationContract} on MariaDB. */
class MariaDbUsageSamplesMigrationIT extends UsageSamplesMigrationContract {
    MariaDbUsageSamplesMigrationIT() {
        super(Backend.MARIADB);
    }
}
