package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link RuleOverlapContract} on MariaDB. */
class MariaDbRuleOverlapIT extends RuleOverlapContract {
    MariaDbRuleOverlapIT() {
        super(Backend.MARIADB);
    }
}
