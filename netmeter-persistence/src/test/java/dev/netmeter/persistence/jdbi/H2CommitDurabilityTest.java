package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link CommitDurabilityContract} on H2. */
class H2CommitDurabilityTest extends CommitDurabilityContract {
    H2CommitDurabilityTest() {
        super(Backend.H2, "H2's WRITE_DELAY is 500 ms");
    }

    @Override
    Lazy lazy(TestDatabase db) {
        return Lazy.byUrl(db.settings().url() + ";WRITE_DELAY=500");     // H2's default
    }
}
