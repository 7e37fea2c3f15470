package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link UsageSamplesMigrationContract} on H2. */
class H2UsageSamplesMigrationTest extends UsageSamplesMigrationContract {
    H2UsageSamplesMigrationTest() {
        super(Backend.H2);
    }
}
