package dev.netmeter.server;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configurations of servers that tests start in-process on a random loopback port. */
final class TestServers {
    private TestServers() {
    }

    /** A noauth server on 127.0.0.1:0 with the default API settings, over {@code database}. */
    static ServerConfig config(DatabaseSettings database, Duration shutdownGrace) {
        return config(database, shutdownGrace, Optional.empty());
    }

    /** The same, keeping usage for {@code usageRetention}. */
    static ServerConfig config(DatabaseSettings database, Duration shutdownGrace, Optional<Duration> usageRetention) {
        return new ServerConfig("127.0.0.1", 0, Path.of("target", "test-data"),
                AuthSettings.noauth(Path.of("target", "test-data")),
                shutdownGrace, new ApiSettings(1 << 20, 16384, -1, Optional.empty()), database, usageRetention, "text",
                "INFO");
    }
}
