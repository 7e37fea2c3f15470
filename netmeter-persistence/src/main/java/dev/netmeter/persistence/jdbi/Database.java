package dev.netmeter.persistence.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.netmeter.persistence.Transactor;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database of one server: a connection pool, the schema brought up to date by the versioned
 * migrations in {@code db/migration}, and the {@link Transactor} over it. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private final HikariDataSource pool;
    private final HikariDataSource snapshotPool;
    private final Dialect dialect;
    private final Transactor transactor;
    private final LongAdder statements = new LongAdder();
    private final Optional<String> lazyCommits;

    private Database(HikariDataSource pool, HikariDataSource snapshotPool, Dialect dialect) {
        this.pool = pool;
        this.snapshotPool = snapshotPool;
        this.dialect = dialect;
        Jdbi jdbi = Jdbi.create(pool);
        this.lazyCommits = jdbi.withHandle(dialect::lazyCommits);
        lazyCommits.ifPresent(setting -> LOG.warn("{}: this database answers a commit before it is on disk, so a "
                + "write the API acknowledged can be lost if the database crashes (docs/architecture.md, "
                + "\"Durability\")", setting));
        this.transactor = new JdbiTransactor(counted(jdbi), counted(Jdbi.create(snapshotPool)), dialect);
    }

    private Jdbi counted(Jdbi jdbi) {
        return jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.increment();
            }
        });
    }

    /** Connects, migrates the schema, and returns the database. Fails if the database cannot be reached. */
    public static Database open(DatabaseSettings settings) {
        Dialect dialect = Dialect.of(settings.url());
        HikariDataSource pool = new HikariDataSource(poolConfig(settings));
        HikariDataSource snapshotPool = null;
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    // one call: each call replaces the migrations of the one before
                    .javaMigrations(new PackUsageMigration(), new BackfillUsageSamples())
                    .placeholders(dialect.placeholders())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            snapshotPool = new HikariDataSource(snapshotPoolConfig(settings));
            return new Database(pool, snapshotPool, dialect);
        } catch (RuntimeException e) {
            if (snapshotPool != null) {
                snapshotPool.close();
            }
            pool.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("netmeter-db");
        config.setJdbcUrl(Dialect.of(settings.url()).durableCommits(settings.url()));
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
        if (Dialect.of(settings.url()) == Dialect.POSTGRESQL) {
            // A batch of inserts as multi-row INSERTs: a usage report's 100,000 rows in about 800 statements.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return config;
    }

    /**
     * Connections for reads that span several statements and must see one state (an agent's sync data):
     * read-only, at REPEATABLE READ, a snapshot per transaction on PostgreSQL, InnoDB and H2's MVStore.
     * A pool of their own, because changing the level per transaction needs a restore that can fail.
     */
    private static HikariConfig snapshotPoolConfig(DatabaseSettings settings) {
        HikariConfig config = poolConfig(settings);
        config.setPoolName("netmeter-db-snapshot");
        config.setMinimumIdle(1);   // agents' reads come in bursts; no need to hold a second full pool open
        config.setReadOnly(true);
        config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        return config;
    }

    /** The transactions of this database. */
    public Transactor transactor() {
        return transactor;
    }

    /**
     * How many SQL statements this database has run since it was opened (migrations not counted). Shows that
     * a read costs a fixed number of statements whatever the data, in tests and benchmarks.
     */
    public long statementsExecuted() {
        return statements.sum();
    }

    /**
     * The setting that makes this database acknowledge commits before they are flushed, as found when it was
     * opened (and logged at WARN then), or empty if every commit is flushed first.
     */
    public Optional<String> lazyCommits() {
        return lazyCommits;
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
        try {
            snapshotPool.close();
        } finally {
            pool.close();
        }
    }
}
