package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.Optional;

/** {@link CommitDurabilityContract} on PostgreSQL. */
class PostgresCommitDurabilityIT extends CommitDurabilityContract {
    PostgresCommitDurabilityIT() {
        super(Backend.POSTGRESQL, "PostgreSQL has synchronous_commit=off");
    }

    @Override
    Optional<String> lazy(String url) {
        return Optional.of(url + (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit=off");
    }
}
