package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link SyncContract} on PostgreSQL. */
class PostgresSyncIT extends SyncContract {
    PostgresSyncIT() {
        super(Backend.POSTGRESQL);
    }
}
