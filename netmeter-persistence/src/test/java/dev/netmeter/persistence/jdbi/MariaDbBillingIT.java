package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link BillingContract} on MariaDB. */
class MariaDbBillingIT extends BillingContract {
    MariaDbBillingIT() {
        super(Backend.MARIADB);
    }
}
