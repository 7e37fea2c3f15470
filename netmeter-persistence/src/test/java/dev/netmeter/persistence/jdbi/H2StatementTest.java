package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link StatementContract} on H2. */
class H2StatementTest extends StatementContract {
    H2StatementTest() {
        super(Backend.H2);
    }
}
