package dev.netmeter.persistence.jdbi;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * An isolated, empty database for one test class (or one test): an in-memory H2 database, a fresh
 * PostgreSQL schema, or a fresh MariaDB database, named {@code nm_<random>} and dropped by {@link #close()}.
 * Shared with other modules' tests through this module's test-jar.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabase.create(Backend.POSTGRESQL)) {
 *     Database database = db.open();        // migrated; closed again by db.close()
 *     TestData data = new TestData(database.transactor());
 * }
 * }</pre>
 *
 * <p>PostgreSQL is reached at {@value #POSTGRES_DEFAULT_URL} and MariaDB at {@value #MARIADB_DEFAULT_URL}
 * unless {@value #POSTGRES_URL_VARIABLE} or {@value #MARIADB_URL_VARIABLE} name another admin URL (with
 * its credentials as query parameters). If the server cannot be reached, the test is aborted (skipped)
 * with a message on stderr, or fails when the environment variable {@code CI} is set, so that CI never
 * passes without the backend. Not thread-safe; {@link #create} is.
 */
public final class TestDatabase implements AutoCloseable {
    /** The databases netmeter supports. */
    public enum Backend { H2, POSTGRESQL, MARIADB }

    public static final String POSTGRES_URL_VARIABLE = "NETMETER_TEST_POSTGRES_URL";
    public static final String MARIADB_URL_VARIABLE = "NETMETER_TEST_MARIADB_URL";
    static final String POSTGRES_DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=5";
    static final String MARIADB_DEFAULT_URL =
            "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=5000";

    private static final int POOL_SIZE = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    // The message for each backend found unreachable, so that later tests neither wait nor print again.
    private static final Map<Backend, String> UNREACHABLE = new ConcurrentHashMap<>();

    private final Backend backend;
    private final String name;
    private final String adminUrl;
    private final DatabaseSettings settings;
    private final List<Database> opened = new ArrayList<>();

    private TestDatabase(Backend backend, String name, String adminUrl, String url) {
        this.backend = backend;
        this.name = name;
        this.adminUrl = adminUrl;
        this.settings = new DatabaseSettings(url, "", "", POOL_SIZE, CONNECT_TIMEOUT);
    }

    /**
     * Creates an empty database (no tables yet) on {@code backend}.
     *
     * @throws TestAbortedException if the server is unreachable and {@code CI} is not set
     * @throws AssertionFailedError if the server is unreachable and {@code CI} is set
     */
    public static TestDatabase create(Backend backend) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        String name = "nm_" + HexFormat.of().formatHex(random);
        return switch (backend) {
            case H2 -> new TestDatabase(backend, name, "",
                    "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
            case POSTGRESQL -> {
                String admin = adminUrl(POSTGRES_URL_VARIABLE, POSTGRES_DEFAULT_URL);
                execute(backend, admin, "CREATE SCHEMA " + name);
                yield new TestDatabase(backend, name, admin, withParameter(admin, "currentSchema=" + name));
            }
            case MARIADB -> {
                String admin = adminUrl(MARIADB_URL_VARIABLE, MARIADB_DEFAULT_URL);
                // A case-insensitive default, as on many servers: the migration must make text exact anyway.
                execute(backend, admin, "CREATE DATABASE %s CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
                        .formatted(name));
                yield new TestDatabase(backend, name, admin, withDatabase(admin, name));
            }
        };
    }

    /** Which database this is. */
    public Backend backend() {
        return backend;
    }

    /** How to reach this database: its URL, a pool of 10 and a 5 s connect timeout. */
    public DatabaseSettings settings() {
        return settings;
    }

    /** Opens this database and migrates its schema. The returned database is closed by {@link #close()}. */
    public Database open() {
        Database database = Database.open(settings);
        opened.add(database);
        return database;
    }

    /** Closes every database {@link #open()} returned, then drops this database. */
    @Override
    public void close() {
        opened.forEach(Database::close);
        opened.clear();
        switch (backend) {
            case H2 -> execute(backend, settings.url(), "SHUTDOWN");
            case POSTGRESQL -> execute(backend, adminUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
            case MARIADB -> execute(backend, adminUrl, "DROP DATABASE IF EXISTS " + name);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[%s %s]".formatted(backend, name);
    }

    private static String adminUrl(String variable, String fallback) {
        String url = System.getenv(variable);
        return url == null || url.isBlank() ? fallback : url;
    }

    private static void execute(Backend backend, String url, String sql) {
        try (Connection connection = connect(backend, url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("%s failed on %s".formatted(sql, backend), e);
        }
    }

    private static Connection connect(Backend backend, String url) {
        String known = UNREACHABLE.get(backend);
        if (known != null) {
            throw unreachable(known, null);
        }
        try {
            return DriverManager.getConnection(url);
        } catch (SQLException e) {
            if (backend == Backend.H2) {
                throw new IllegalStateException("cannot open H2 at " + url, e);
            }
            String message = banner(backend, "%s: %s".formatted(Dialect.redact(url), e.getMessage()));
            if (UNREACHABLE.putIfAbsent(backend, message) == null) {
                shout(message);
            }
            throw unreachable(message, e);
        }
    }

    /** Under CI the test fails here; elsewhere it is aborted with the returned exception, reported as skipped. */
    private static TestAbortedException unreachable(String message, Throwable cause) {
        if (isCi()) {
            throw new AssertionFailedError(message, cause);
        }
        return new TestAbortedException(message);
    }

    private static String banner(Backend backend, String reason) {
        return """

                ************************************************************************
                * %s IS NOT REACHABLE: its tests cannot run.
                * %s
                * Start it (%s), or point %s at it.
                * Its tests are %s.
                ************************************************************************
                """.formatted(backend, reason, howToStart(backend),
                backend == Backend.POSTGRESQL ? POSTGRES_URL_VARIABLE : MARIADB_URL_VARIABLE,
                isCi() ? "FAILED, because CI is set" : "SKIPPED (they fail when CI is set)");
    }

    /**
     * Prints to stderr, and also to the process's own stderr: Surefire redirects {@code System.err} into the
     * report files, where nobody would see it, but passes the forked JVM's native stderr to the console.
     */
    private static void shout(String message) {
        System.err.println(message);
        try {
            var console = new FileOutputStream(FileDescriptor.err);    // not closed: that would close stderr
            console.write(message.getBytes(StandardCharsets.UTF_8));
            console.flush();
        } catch (IOException e) {
            System.err.println("could not write to the console: " + e);
        }
    }

    private static String howToStart(Backend backend) {
        return switch (backend) {
            case POSTGRESQL -> "sudo service postgresql start; user postgres, trust auth, database 'test'";
            case MARIADB -> "sudo service mariadb start; user root, no password";
            case H2 -> "embedded";
        };
    }

    private static boolean isCi() {
        String ci = Optional.ofNullable(System.getenv("CI")).orElse("").trim().toLowerCase(Locale.ROOT);
        return !ci.isEmpty() && !ci.equals("false") && !ci.equals("0");
    }

    /** {@code url} with one more query parameter. */
    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /** {@code url} (jdbc:mariadb://host:port/[db][?query]) naming {@code database} instead. */
    private static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String parameters = query < 0 ? "" : url.substring(query);
        int path = base.indexOf('/', base.indexOf("//") + 2);
        return (path < 0 ? base + "/" : base.substring(0, path + 1)) + database + parameters;
    }
}
