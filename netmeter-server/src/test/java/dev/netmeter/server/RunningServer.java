package dev.netmeter.server;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.neutron.NeutronSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A whole server, started as {@code netmeter server} starts it ({@link NetmeterServer#start}), on a
 * random loopback port over a fresh, empty database of one backend. One per test class: starting costs
 * a migration. {@link #close()} stops the server and drops the database. Not thread-safe; its
 * {@link #client()} is.
 */
final class RunningServer implements AutoCloseable {
    /** The default body limit (1 MiB), as {@code api.max_body_bytes} ships. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final TestDatabase database;
    private final ServerConfig config;
    private final Clock clock;
    private final NetmeterServer server;
    private final ApiClient client;

    private RunningServer(TestDatabase database, ServerConfig config, Clock clock, NetmeterServer server) {
        this.database = database;
        this.config = config;
        this.clock = clock;
        this.server = server;
        this.client = new ApiClient(server.port());
    }

    /**
     * Starts a server over a new database on {@code backend}.
     *
     * @throws org.opentest4j.TestAbortedException if the backend is down (outside CI), see {@link TestDatabase}
     */
    static RunningServer start(Backend backend) {
        return start(backend, AuthSettings.noauth(Path.of("target", "test-data")));
    }

    /** Starts a server over a new database on {@code backend}, identifying callers as {@code auth} says. */
    static RunningServer start(Backend backend, AuthSettings auth) {
        return start(backend, auth, Optional.empty());
    }

    /** Starts a noauth server whose routers follow {@code neutron} ({@code routers.source = neutron}). */
    static RunningServer following(Backend backend, NeutronSettings neutron) {
        return start(backend, AuthSettings.noauth(Path.of("target", "test-data")), Optional.of(neutron));
    }

    /** Starts a noauth server over a new database on {@code backend} that tells time by {@code clock}. */
    static RunningServer start(Backend backend, Clock clock) {
        return start(backend, AuthSettings.noauth(Path.of("target", "test-data")), Optional.empty(), clock);
    }

    private static RunningServer start(Backend backend, AuthSettings auth, Optional<NeutronSettings> neutron) {
        return start(backend, auth, neutron, Clock.systemUTC());
    }

    private static RunningServer start(Backend backend, AuthSettings auth, Optional<NeutronSettings> neutron,
                                       Clock clock) {
        TestDatabase database = TestDatabase.create(backend);
        try {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, Path.of("target", "test-data"), auth,
                    Duration.ofSeconds(5),
                    new ApiSettings(MAX_BODY_BYTES, 16384, -1, Optional.empty()), database.settings(),
                    Optional.empty(), "text",
                    "INFO", neutron);
            return new RunningServer(database, config, clock, NetmeterServer.start(config, clock));
        } catch (RuntimeException | Error e) {
            database.close();
            throw e;
        }
    }

    ApiClient client() {
        return client;
    }

    /** The port the server listens on (loopback). */
    int port() {
        return server.port();
    }

    /**
     * Starts a second server over the same database, with this one's settings but the API settings
     * {@code change} makes, and this one's clock: as a second server of a deployment would run. Closing it leaves
     * the database.
     */
    Another another(UnaryOperator<ApiSettings> change) {
        ServerConfig other = new ServerConfig(config.host(), 0, config.dataDir(), config.auth(), config.shutdownGrace(),
                change.apply(config.api()), config.database(), config.usageRetention(), config.logFormat(),
                config.logLevel(), config.neutron());
        NetmeterServer started = NetmeterServer.start(other, clock);
        return new Another(started, new ApiClient(started.port()));
    }

    /** A second server over the database of a {@link RunningServer}. */
    record Another(NetmeterServer server, ApiClient client) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            database.close();
        }
    }
}
