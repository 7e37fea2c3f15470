package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.error.DatabaseUnavailableException;
import dev.netmeter.domain.error.MeteringException;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.Transactor;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Transactor} over JDBI. Thread-safe. */
final class JdbiTransactor implements Transactor {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiTransactor.class);
    private static final int MAX_ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final Jdbi snapshots;
    private final Dialect dialect;

    /**
     * @param jdbi over connections at READ COMMITTED
     * @param snapshots over read-only connections at REPEATABLE READ, which all three databases implement
     *     as one snapshot per transaction
     * @param dialect the databases' dialect
     */
    JdbiTransactor(Jdbi jdbi, Jdbi snapshots, Dialect dialect) {
        this.jdbi = jdbi;
        this.snapshots = snapshots;
        this.dialect = dialect;
    }

    @Override
    public <T> T inTransaction(Function<Repositories, T> work) {
        return run(jdbi, dialect, work);
    }

    @Override
    public <T> T inSnapshot(Function<Repositories, T> work) {
        return run(snapshots, dialect, work);
    }

    private static <T> T run(Jdbi jdbi, Dialect dialect, Function<Repositories, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                // The pool opens every connection at READ COMMITTED; setting the level per transaction would
                // make JDBI restore it afterwards, and on a dead connection that failure hides the real one.
                return jdbi.inTransaction(handle -> work.apply(new JdbiRepositories(handle, dialect)));
            } catch (MeteringException e) {
                throw e;    // ours, thrown by the work: the transaction has been rolled back
            } catch (RuntimeException e) {
                switch (SqlFailure.of(e)) {
                    case RETRYABLE -> {
                        if (attempt == MAX_ATTEMPTS) {
                            throw new DatabaseUnavailableException(e);
                        }
                        LOG.debug("transaction attempt {} lost a lock conflict; running it again", attempt);
                    }
                    case UNAVAILABLE -> throw new DatabaseUnavailableException(e);
                    case OTHER -> throw e;
                }
            }
        }
    }
}
