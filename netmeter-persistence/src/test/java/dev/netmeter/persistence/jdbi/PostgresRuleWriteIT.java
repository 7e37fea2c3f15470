package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleWriteContract} on PostgreSQL. */
class PostgresRuleWriteIT extends RuleWriteContract {
    PostgresRuleWriteIT() {
        super(Backend.POSTGRESQL);
    }
}
