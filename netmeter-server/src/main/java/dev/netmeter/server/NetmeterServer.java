package dev.netmeter.server;

import dev.netmeter.api.ApiServer;
import dev.netmeter.api.Authenticator;
import dev.netmeter.api.TrustedHeaderAuthenticator;
import dev.netmeter.api.identity.CachingTokenValidator;
import dev.netmeter.api.identity.FailedAuthenticationLimiter;
import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.api.identity.KeystoneTokenValidator;
import dev.netmeter.api.identity.StaticTokenValidator;
import dev.netmeter.api.identity.TokenAuthenticator;
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
    /** Clients whose failed authentications are tracked at once; the least recent are forgotten first. */
    private static final int MAX_THROTTLED_CLIENTS = 100_000;
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
            Clock clock = Clock.systemUTC();
            Policy policy = config.auth().policy();
            Supplier<UUID> ids = new TimeOrderedIds(clock);
            var labels = new MeteringLabelService(database.transactor(), policy, ids);
            var rules = new MeteringRuleService(database.transactor(), policy, ids);
            ApiServer api = ApiServer.create(config.api(), authenticator(config.auth(), clock), labels, rules,
                    database::isReachable);
            api.start(config.host(), config.port());
            return new NetmeterServer(config, database, api);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Authenticator authenticator(AuthSettings auth, Clock clock) {
        var limiter = new FailedAuthenticationLimiter(auth.failedAttemptsPerMinute(), MAX_THROTTLED_CLIENTS, clock);
        return switch (auth.strategy()) {
            case NOAUTH -> new TrustedHeaderAuthenticator();
            case TOKEN -> new TokenAuthenticator(new StaticTokenValidator(auth.tokenFile(), clock), limiter,
                    "Token realm=\"netmeter\"");
            case KEYSTONE -> {
                KeystoneSettings keystone = auth.keystone().orElseThrow();
                yield new TokenAuthenticator(new CachingTokenValidator(new KeystoneTokenValidator(keystone, clock),
                        auth.tokenCacheTtl(), auth.tokenCacheSize(), clock), limiter, keystone.challenge());
            }
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
