package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.Optional;

/** {@link CommitDurabilityContract} on MariaDB. */
class MariaDbCommitDurabilityIT extends CommitDurabilityContract {
    MariaDbCommitDurabilityIT() {
        super(Backend.MARIADB, "MariaDB has innodb_flush_log_at_trx_commit=2");
    }

    @Override
    Optional<String> lazy(String url) {
        return Optional.empty();    // innodb_flush_log_at_trx_commit is global only
    }
}
