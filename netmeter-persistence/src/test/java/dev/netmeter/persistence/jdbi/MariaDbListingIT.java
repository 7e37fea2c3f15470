package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ListingContract} on MariaDB. */
class MariaDbListingIT extends ListingContract {
    MariaDbListingIT() {
        super(Backend.MARIADB);
    }
}
