package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;

/** {@link CommitDurabilityContract} on PostgreSQL. */
class PostgresCommitDurabilityIT extends CommitDurabilityContract {
    PostgresCommitDurabilityIT() {
        super(Backend.POSTGRESQL, "PostgreSQL has synchronous_commit=off");
    }

    @Override
    Lazy lazy(TestDatabase db) {
        String url = db.settings().url();
        return Lazy.byUrl(url + (url.contains("?") ? "&" : "?") + "options=-c%20synchronous_commit=off");
    }
}
