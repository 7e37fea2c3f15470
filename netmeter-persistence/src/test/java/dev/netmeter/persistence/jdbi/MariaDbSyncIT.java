package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link SyncContract} on MariaDB. */
class MariaDbSyncIT extends SyncContract {
    MariaDbSyncIT() {
        super(Backend.MARIADB);
    }
}
