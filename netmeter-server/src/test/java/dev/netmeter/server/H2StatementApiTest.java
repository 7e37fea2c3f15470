package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

class H2StatementApiTest extends StatementApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
