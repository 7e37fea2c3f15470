package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link PolicyContract} on H2 (embedded). */
class H2PolicyTest extends PolicyContract {
    H2PolicyTest() {
        super(Backend.H2);
    }
}
