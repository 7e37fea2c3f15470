package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link OutboxContract} on MariaDB. */
class MariaDbOutboxIT extends OutboxContract {
    MariaDbOutboxIT() {
        super(Backend.MARIADB);
    }
}
