package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2LabelTotalsMigrationTest extends LabelTotalsMigrationContract {
    H2LabelTotalsMigrationTest() {
        super(Backend.H2);
    }
}
