package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link OutboxContract} on H2. */
class H2OutboxTest extends OutboxContract {
    H2OutboxTest() {
        super(Backend.H2);
    }
}
