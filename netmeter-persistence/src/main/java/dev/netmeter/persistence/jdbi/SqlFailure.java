package dev.netmeter.persistence.jdbi;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** What a database failure means for the transaction that met it, read from SQLSTATE and exception types. */
enum SqlFailure {
    /** A deadlock, serialization conflict or lock timeout: running the transaction again may succeed. */
    RETRYABLE,
    /** The database cannot be reached or the connection was lost: answer 503. */
    UNAVAILABLE,
    /** Anything else: a bug. */
    OTHER;

    // 40001: serialization failure/deadlock (all three); 40P01: PostgreSQL deadlock; HYT00: H2 lock timeout.
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01", "HYT00");
    // 57P01-03: PostgreSQL terminated the backend or is shutting down; 90098/90121: H2 database closed.
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "90098", "90121");
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;

    static SqlFailure of(Throwable failure) {
        for (Throwable cause : causes(failure)) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return UNAVAILABLE;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)) {
                    return UNAVAILABLE;
                }
                if (RETRYABLE_STATES.contains(state) || sql.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT) {
                    return RETRYABLE;
                }
            }
        }
        return OTHER;
    }

    /** Whether {@code failure} is a foreign-key violation (a referenced row is missing). */
    static boolean isMissingParent(Throwable failure) {
        // 23503: PostgreSQL; 23506: H2; 1452: MariaDB (SQLSTATE 23000 is shared by all integrity errors).
        return anyCause(failure, sql -> "23503".equals(sql.getSQLState()) || "23506".equals(sql.getSQLState())
                || sql.getErrorCode() == 1452);
    }

    /**
     * Whether {@code failure} is a number out of its column's range: SQLSTATE 22003 on all three, and H2's own
     * 22004 when a wider value (a SUM) is written into a BIGINT column (elsewhere 22004 means a null value).
     */
    static boolean isOutOfRange(Throwable failure) {
        return anyCause(failure, sql -> "22003".equals(sql.getSQLState())
                || "22004".equals(sql.getSQLState()) && sql.getClass().getName().startsWith("org.h2."));
    }

    /** Whether {@code failure} is a unique-key violation: a row with the same key exists. */
    static boolean isDuplicateKey(Throwable failure) {
        // 23505: PostgreSQL and H2; 1062: MariaDB (SQLSTATE 23000 is shared by all integrity errors).
        return anyCause(failure, sql -> "23505".equals(sql.getSQLState()) || sql.getErrorCode() == 1062);
    }

    private static boolean anyCause(Throwable failure, Predicate<SQLException> test) {
        return causes(failure).stream().anyMatch(cause -> cause instanceof SQLException sql && test.test(sql));
    }

    /**
     * The failure, its causes and what they suppressed: when a transaction fails on a dead connection,
     * the rollback fails too, and JDBI may report that second failure with the first only suppressed.
     */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> all = new ArrayList<>();
        Deque<Throwable> pending = new ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty() && all.size() < 64) {
            Throwable next = pending.pop();
            if (all.stream().noneMatch(seen -> seen == next)) {
                all.add(next);
                if (next.getCause() != null) {
                    pending.add(next.getCause());
                }
                pending.addAll(List.of(next.getSuppressed()));
            }
        }
        return all;
    }
}
