package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleWriteContract} on MariaDB. */
class MariaDbRuleWriteIT extends RuleWriteContract {
    MariaDbRuleWriteIT() {
        super(Backend.MARIADB);
    }
}
