package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesContract} on MariaDB. */
class MariaDbUsageSamplesIT extends UsageSamplesContract {
    MariaDbUsageSamplesIT() {
        super(Backend.MARIADB);
    }
}
