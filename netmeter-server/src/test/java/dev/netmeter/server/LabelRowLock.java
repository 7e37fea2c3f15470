package dev.netmeter.server;

import static org.awaitility.Awaitility.await;

import dev.netmeter.persistence.jdbi.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Holds a label's row lock from a connection of the test's own, so that a server request that needs the
 * lock (any rule create in that label) stays in flight until the test {@link #release}s it.
 */
final class LabelRowLock implements AutoCloseable {
    private final String url;
    private final Connection connection;

    private LabelRowLock(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** Locks label {@code labelId} directly in the database described by {@code database}. */
    static LabelRowLock hold(DatabaseSettings database, String labelId) throws SQLException {
        Connection connection = DriverManager.getConnection(database.url());
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT id FROM metering_labels WHERE id = ? FOR UPDATE")) {
            lock.setString(1, labelId);
            lock.executeQuery().close();
        }
        return new LabelRowLock(database.url(), connection);
    }

    /**
     * Waits until a session of this database waits for a lock: the request the test means to hold is then
     * in flight, however long the machine took to send it. A fixed sleep guessed that instead.
     */
    void awaitWaiter(Duration timeout) {
        await("a request waiting for the label's lock").atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).until(() -> waiters() > 0);
    }

    /*
     * Read on a connection of its own: PostgreSQL keeps one snapshot of pg_stat_activity per transaction,
     * and the holding connection's transaction stays open.
     */
    private int waiters() throws SQLException {
        try (Connection check = DriverManager.getConnection(url);
             PreparedStatement query = check.prepareStatement(switch (check.getMetaData().getDatabaseProductName()) {
                 case "H2" -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
                 case "PostgreSQL" -> "SELECT COUNT(*) FROM pg_stat_activity"
                         + " WHERE datname = current_database() AND wait_event_type = 'Lock'";
                 // A MariaDB transaction waiting in a primary-key FOR UPDATE does not show in INNODB_TRX
                 // (10.11: the row is read while the query is planned); its statement shows as running.
                 default -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
                         + " AND COMMAND = 'Query' AND ID <> CONNECTION_ID() AND INFO LIKE '%FOR UPDATE%'";
             });
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Ends the test's transaction, which lets the waiting request go on. */
    void release() throws SQLException {
        connection.rollback();
    }

    /** The test's connection, for checks made directly in the database. */
    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
