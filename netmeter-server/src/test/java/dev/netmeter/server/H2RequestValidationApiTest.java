package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2RequestValidationApiTest extends RequestValidationApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
