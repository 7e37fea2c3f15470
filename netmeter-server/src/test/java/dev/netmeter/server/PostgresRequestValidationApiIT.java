package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class PostgresRequestValidationApiIT extends RequestValidationApiContract {
    @Override
    Backend backend() {
        return Backend.POSTGRESQL;
    }
}
