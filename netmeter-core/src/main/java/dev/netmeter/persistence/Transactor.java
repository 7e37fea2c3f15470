package dev.netmeter.persistence;

import java.util.function.Function;

/**
 * Runs a unit of work in one database transaction. Thread-safe.
 *
 * <p>The transaction commits when {@code work} returns and rolls back when it throws; the exception
 * then propagates unchanged, except that a lost or unreachable database surfaces as
 * {@link dev.netmeter.domain.error.DatabaseUnavailableException}. A transaction that loses a deadlock
 * or a serialization conflict is run again, so {@code work} must have no effect outside the
 * {@link Repositories} it is given (no I/O but SQL). The repositories must not escape the lambda.
 */
public interface Transactor {
    /** Runs {@code work} in a new transaction and returns its result. */
    <T> T inTransaction(Function<Repositories, T> work);

    /**
     * Runs {@code work} in a new read-only transaction that sees one snapshot of the database: every
     * statement reads the state as of the transaction's first read, whatever commits meanwhile. For reads
     * that must be consistent across several statements. Writes fail.
     */
    <T> T inSnapshot(Function<Repositories, T> work);
}
