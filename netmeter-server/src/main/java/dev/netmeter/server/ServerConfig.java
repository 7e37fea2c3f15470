package dev.netmeter.server;

import dev.netmeter.api.ApiSettings;
import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.server.neutron.NeutronSettings;
import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.service.BillingService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the server needs to start, already validated. Built by {@link ConfigLoader}.
 *
 * @param host the address to listen on
 * @param port the port to listen on (0: any free port)
 * @param dataDir where the embedded database and other state live
 * @param auth how callers are identified, and the policy
 * @param shutdownGrace how long a shutdown waits for requests in flight
 * @param api settings of the HTTP layer
 * @param database how to reach the database
 * @param usageRetention how long usage reports are kept; empty: for ever
 * @param logFormat {@code text} or {@code json}
 * @param logLevel the root log level
 * @param neutron the Neutron whose routers netmeter follows ({@code routers.source = neutron}); empty: routers
 *     are kept through netmeter's API
 * @param notifications where usage notifications are published, if anywhere
 * @param closeGrace how long after a billing period's end its statement is closed
 */
public record ServerConfig(String host, int port, Path dataDir, AuthSettings auth, Duration shutdownGrace,
                           ApiSettings api, DatabaseSettings database, Optional<Duration> usageRetention,
                           String logFormat, String logLevel, Optional<NeutronSettings> neutron,
                           NotificationSettings notifications, Duration closeGrace) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(usageRetention, "usageRetention");
        Objects.requireNonNull(neutron, "neutron");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(closeGrace, "closeGrace");
    }

    /** A server with the default grace time before closing a period. */
    public ServerConfig(String host, int port, Path dataDir, AuthSettings auth, Duration shutdownGrace,
                        ApiSettings api, DatabaseSettings database, Optional<Duration> usageRetention,
                        String logFormat, String logLevel, Optional<NeutronSettings> neutron,
                        NotificationSettings notifications) {
        this(host, port, dataDir, auth, shutdownGrace, api, database, usageRetention, logFormat, logLevel, neutron,
                notifications, BillingService.DEFAULT_CLOSE_GRACE);
    }

    /** A server whose routers are kept through its API, and that publishes no notifications. */
    public ServerConfig(String host, int port, Path dataDir, AuthSettings auth, Duration shutdownGrace,
                        ApiSettings api, DatabaseSettings database, Optional<Duration> usageRetention,
                        String logFormat, String logLevel) {
        this(host, port, dataDir, auth, shutdownGrace, api, database, usageRetention, logFormat, logLevel,
                Optional.empty(), NotificationSettings.OFF);
    }

    /** A server that follows {@code neutron} (if given), and publishes no notifications. */
    public ServerConfig(String host, int port, Path dataDir, AuthSettings auth, Duration shutdownGrace,
                        ApiSettings api, DatabaseSettings database, Optional<Duration> usageRetention,
                        String logFormat, String logLevel, Optional<NeutronSettings> neutron) {
        this(host, port, dataDir, auth, shutdownGrace, api, database, usageRetention, logFormat, logLevel, neutron,
                NotificationSettings.OFF);
    }

    /** This configuration with {@code settings} for notifications. */
    public ServerConfig withNotifications(NotificationSettings settings) {
        return new ServerConfig(host, port, dataDir, auth, shutdownGrace, api, database, usageRetention, logFormat,
                logLevel, neutron, settings, closeGrace);
    }

    /** This configuration with {@code grace} before closing a period. */
    public ServerConfig withCloseGrace(Duration grace) {
        return new ServerConfig(host, port, dataDir, auth, shutdownGrace, api, database, usageRetention, logFormat,
                logLevel, neutron, notifications, grace);
    }
}
