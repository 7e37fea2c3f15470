package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresLabelTotalsMigrationIT extends LabelTotalsMigrationContract {
    PostgresLabelTotalsMigrationIT() {
        super(Backend.POSTGRESQL);
    }
}
