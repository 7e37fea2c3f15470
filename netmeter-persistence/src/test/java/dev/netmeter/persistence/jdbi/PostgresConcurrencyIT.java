package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ConcurrencyContract} on PostgreSQL. */
class PostgresConcurrencyIT extends ConcurrencyContract {
    PostgresConcurrencyIT() {
        super(Backend.POSTGRESQL);
    }
}
