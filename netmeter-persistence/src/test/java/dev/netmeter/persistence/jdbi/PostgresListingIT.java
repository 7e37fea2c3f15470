package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ListingContract} on PostgreSQL. */
class PostgresListingIT extends ListingContract {
    PostgresListingIT() {
        super(Backend.POSTGRESQL);
    }
}
