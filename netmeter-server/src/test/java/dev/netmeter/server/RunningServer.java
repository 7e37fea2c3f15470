package dev.netmeter.server;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.neutron.NeutronSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
    private final NetmeterServer server;
    private final ApiClient client;

    private RunningServer(TestDatabase database, NetmeterServer server) {
        this.database = database;
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

    private static RunningServer start(Backend backend, AuthSettings auth, Optional<NeutronSettings> neutron) {
        TestDatabase database = TestDatabase.create(backend);
        try {
            ServerConfig config = new ServerConfig("127.0.0.1", 0, Path.of("target", "test-data"), auth,
                    Duration.ofSeconds(5),
                    new ApiSettings(MAX_BODY_BYTES, 16384, -1, Optional.empty()), database.settings(), Optional.empty(), "text",
                    "INFO", neutron);
            return new RunningServer(database, NetmeterServer.start(config));
        } catch (RuntimeException | Error e) {
            database.close();
            throw e;
        }
    }

    ApiClient client() {
        return client;
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
