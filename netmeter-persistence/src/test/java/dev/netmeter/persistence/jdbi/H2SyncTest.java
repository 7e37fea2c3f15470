package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link SyncContract} on H2. */
class H2SyncTest extends SyncContract {
    H2SyncTest() {
        super(Backend.H2);
    }
}
