package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleWriteContract} on H2 (embedded). */
class H2RuleWriteTest extends RuleWriteContract {
    H2RuleWriteTest() {
        super(Backend.H2);
    }
}
