package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbBillingApiIT extends BillingApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
