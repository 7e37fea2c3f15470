package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresBillingApiIT extends BillingApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
