package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link BillingContract} on H2. */
class H2BillingTest extends BillingContract {
    H2BillingTest() {
        super(Backend.H2);
    }
}
