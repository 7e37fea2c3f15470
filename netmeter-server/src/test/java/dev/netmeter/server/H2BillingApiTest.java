package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2BillingApiTest extends BillingApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
