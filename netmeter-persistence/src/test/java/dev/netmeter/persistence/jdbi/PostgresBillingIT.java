package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link BillingContract} on PostgreSQL. */
class PostgresBillingIT extends BillingContract {
    PostgresBillingIT() {
        super(Backend.POSTGRESQL);
    }
}
