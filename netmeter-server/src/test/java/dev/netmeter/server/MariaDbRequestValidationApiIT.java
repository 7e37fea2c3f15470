package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class MariaDbRequestValidationApiIT extends RequestValidationApiContract {
    @Override
    Backend backend() {
        return Backend.MARIADB;
    }
}
