package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageContract} on H2. */
class H2UsageTest extends UsageContract {
    H2UsageTest() {
        super(Backend.H2);
    }
}
