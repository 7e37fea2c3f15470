package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbLabelTotalsMigrationIT extends LabelTotalsMigrationContract {
    MariaDbLabelTotalsMigrationIT() {
        super(Backend.MARIADB);
    }
}
