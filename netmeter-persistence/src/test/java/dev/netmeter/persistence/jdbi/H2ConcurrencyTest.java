package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ConcurrencyContract} on H2 (embedded). */
class H2ConcurrencyTest extends ConcurrencyContract {
    H2ConcurrencyTest() {
        super(Backend.H2);
    }
}
