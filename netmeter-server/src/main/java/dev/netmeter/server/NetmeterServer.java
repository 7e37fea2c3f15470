package dev.netmeter.server;

import dev.netmeter.api.ApiServer;
import dev.netmeter.api.Authenticator;
import dev.netmeter.api.TrustedHeaderAuthenticator;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.Policy;
import dev.netmeter.service.TimeOrderedIds;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/** A running server. The one place that constructs services, adapters and the HTTP layer. */
public final class NetmeterServer implements AutoCloseable {
    private final ServerConfig config;
    private final Database database;
    private final ApiServer api;

    private NetmeterServer(ServerConfig config, Database database, ApiServer api) {
        this.config = config;
        this.database = database;
        this.api = api;
    }

    /** Opens (and migrates) the database, then starts serving on the configured address. */
    public static NetmeterServer start(ServerConfig config) {
        Database database = Database.open(config.database());
        try {
            Policy policy = Policy.defaults();
            Supplier<UUID> ids = new TimeOrderedIds(Clock.systemUTC());
            var labels = new MeteringLabelService(database.transactor(), policy, ids);
            var rules = new MeteringRuleService(database.transactor(), policy, ids);
            ApiServer api = ApiServer.create(config.api(), authenticator(config), labels, rules,
                    database::isReachable);
            api.start(config.host(), config.port());
            return new NetmeterServer(config, database, api);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Authenticator authenticator(ServerConfig config) {
        return switch (config.auth()) {
            case NOAUTH -> new TrustedHeaderAuthenticator();
        };
    }

    /** The port the API listens on. */
    public int port() {
        return api.port();
    }

    /** Lets requests in flight finish (up to the configured grace), then stops serving and closes the database. */
    @Override
    public void close() {
        try {
            api.stop(config.shutdownGrace());
        } finally {
            database.close();
        }
    }
}
