package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleOverlapContract} on PostgreSQL. */
class PostgresRuleOverlapIT extends RuleOverlapContract {
    PostgresRuleOverlapIT() {
        super(Backend.POSTGRESQL);
    }
}
