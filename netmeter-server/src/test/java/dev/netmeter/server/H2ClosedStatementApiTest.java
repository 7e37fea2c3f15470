package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link ClosedStatementApiContract} on H2. */
class H2ClosedStatementApiTest extends ClosedStatementApiContract {
    @Override
    Backend backend() {
        return Backend.H2;
    }
}
