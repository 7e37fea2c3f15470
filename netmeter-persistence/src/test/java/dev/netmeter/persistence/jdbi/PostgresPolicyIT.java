package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link PolicyContract} on PostgreSQL. */
class PostgresPolicyIT extends PolicyContract {
    PostgresPolicyIT() {
        super(Backend.POSTGRESQL);
    }
}
