package dev.netmeter.persistence.jdbi;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import org.jdbi.v3.core.Jdbi;

/** {@link CommitDurabilityContract} on MariaDB. */
class MariaDbCommitDurabilityIT extends CommitDurabilityContract {
    MariaDbCommitDurabilityIT() {
        super(Backend.MARIADB, "MariaDB has innodb_flush_log_at_trx_commit=2");
    }

    /**
     * innodb_flush_log_at_trx_commit is global only: set to 2 for the moment the test opens its database, then
     * back. Other databases of the same server flush at most a second later meanwhile; nothing else changes.
     */
    @Override
    Lazy lazy(TestDatabase db) {
        DatabaseSettings settings = db.settings();
        Jdbi server = Jdbi.create(settings.url(), settings.user(), settings.password());
        String before = server.withHandle(handle -> handle.createQuery(
                "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit").mapTo(String.class).one());
        server.useHandle(handle -> handle.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2"));
        return new Lazy(settings.url(), () -> server.useHandle(handle ->
                handle.execute("SET GLOBAL innodb_flush_log_at_trx_commit = " + Integer.parseInt(before))));
    }
}
