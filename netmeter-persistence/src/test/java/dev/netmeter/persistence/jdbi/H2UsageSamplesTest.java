package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesContract} on H2. */
class H2UsageSamplesTest extends UsageSamplesContract {
    H2UsageSamplesTest() {
        super(Backend.H2);
    }
}
