package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ListingContract} on H2 (embedded). */
class H2ListingTest extends ListingContract {
    H2ListingTest() {
        super(Backend.H2);
    }
}
