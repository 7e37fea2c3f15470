package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosingContract} on H2. */
class H2ClosingTest extends ClosingContract {
    H2ClosingTest() {
        super(Backend.H2);
    }
}
