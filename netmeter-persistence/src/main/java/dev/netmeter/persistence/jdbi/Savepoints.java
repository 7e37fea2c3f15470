package dev.netmeter.persistence.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;

/** A statement that may meet a duplicate key without failing its transaction (PostgreSQL would abort it). */
final class Savepoints {
    private Savepoints() {
    }

    /**
     * Runs {@code statement} from a savepoint, and undoes it if it fails on a duplicate key.
     *
     * @return false if it met a duplicate key
     */
    static boolean unlessDuplicateKey(Handle handle, Runnable statement) {
        // JDBC's savepoints: JDBI's forget one that was rolled back to, and could then not release it.
        Connection connection = handle.getConnection();
        try {
            Savepoint savepoint = connection.setSavepoint();
            try {
                statement.run();
            } catch (RuntimeException e) {
                if (!SqlFailure.isDuplicateKey(e)) {
                    throw e;    // the transaction fails as a whole; no savepoint to release
                }
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
                return false;
            }
            connection.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
    }
}
