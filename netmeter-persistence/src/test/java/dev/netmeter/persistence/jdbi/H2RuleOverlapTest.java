package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleOverlapContract} on H2 (embedded). */
class H2RuleOverlapTest extends RuleOverlapContract {
    H2RuleOverlapTest() {
        super(Backend.H2);
    }
}
