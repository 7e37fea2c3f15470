package dev.netmeter.server;

import dev.netmeter.persistence.jdbi.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Holds a label's row lock from a connection of the test's own, so that a server request that needs the
 * lock (any rule create in that label) stays in flight until the test {@link #release}s it.
 */
final class LabelRowLock implements AutoCloseable {
    private final Connection connection;

    private LabelRowLock(Connection connection) {
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
        return new LabelRowLock(connection);
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
