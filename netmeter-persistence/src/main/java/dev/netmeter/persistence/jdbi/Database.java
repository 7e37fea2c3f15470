package dev.netmeter.persistence.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.netmeter.persistence.Transactor;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The database of one server: a connection pool, the schema brought up to date by the versioned
 * migrations in {@code db/migration}, and the {@link Transactor} over it. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final Transactor transactor;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
        this.transactor = new JdbiTransactor(Jdbi.create(pool));
    }

    /** Connects, migrates the schema, and returns the database. Fails if the database cannot be reached. */
    public static Database open(DatabaseSettings settings) {
        Dialect dialect = Dialect.of(settings.url());
        HikariDataSource pool = new HikariDataSource(poolConfig(settings));
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.placeholders())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            return new Database(pool, dialect);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("netmeter-db");
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setAutoCommit(true);
        // Every check-then-write locks its parent row, so READ COMMITTED is enough, and it is the same
        // level everywhere (MariaDB would default to REPEATABLE READ).
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return config;
    }

    /** The transactions of this database. */
    public Transactor transactor() {
        return transactor;
    }

    /** The dialect, from the URL. */
    public Dialect dialect() {
        return dialect;
    }

    /** Whether a connection can be had and answers within a second. */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
