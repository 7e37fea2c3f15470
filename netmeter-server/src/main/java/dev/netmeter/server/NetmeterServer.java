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
import dev.netmeter.persistence.Transactor;
import dev.netmeter.persistence.jdbi.Database;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.Policy;
import dev.netmeter.server.neutron.NeutronRouterSource;
import dev.netmeter.service.ExternalRouters;
import dev.netmeter.service.RouterFollower;
import dev.netmeter.service.RouterReconciler;
import dev.netmeter.service.RouterService;
import dev.netmeter.service.SyncFeed;
import dev.netmeter.service.SyncService;
import dev.netmeter.service.TimeOrderedIds;
import dev.netmeter.service.UsageNotifications;
import dev.netmeter.service.UsageService;
import dev.netmeter.server.notification.L3MeterNotifications;
import dev.netmeter.server.notification.NotificationPublisher;
import dev.netmeter.server.notification.NotificationSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** A running server. The one place that constructs services, adapters and the HTTP layer. */
public final class NetmeterServer implements AutoCloseable {
    /** Clients whose failed authentications are tracked at once; the least recent are forgotten first. */
    private static final int MAX_THROTTLED_CLIENTS = 100_000;
    /**
     * How often the change feed reads the revisions when this server commits nothing: the delay with which
     * agents waiting here learn of changes made through another server on the same database.
     */
    private static final Duration FEED_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How often usage past its retention is deleted. */
    private static final Duration PRUNE_PERIOD = Duration.ofHours(1);
    /** How often stored reports are folded into the per-router totals (reading them adds what is not yet). */
    private static final Duration FOLD_PERIOD = Duration.ofSeconds(10);
    /** How often periods past their grace time are looked for and closed: a period closes this long after it may. */
    private static final Duration CLOSE_PERIOD = Duration.ofMinutes(5);
    /** How often the outbox is read when nothing was left to publish. */
    private static final Duration NOTIFICATION_POLL = Duration.ofMillis(500);
    private final ServerConfig config;
    private final Database database;
    private final SyncFeed feed;
    private final ServerMetrics metrics;
    /** The background tasks on the database: retention, folding the totals, closing periods. */
    private final List<PeriodicTask> upkeep;
    private final Optional<NotificationPublisher> notifications;
    private final ApiServer api;
    private final Optional<RouterFollower> follower;

    private NetmeterServer(ServerConfig config, Database database, SyncFeed feed, ServerMetrics metrics,
                           List<PeriodicTask> upkeep, Optional<NotificationPublisher> notifications, ApiServer api,
                           Optional<RouterFollower> follower) {
        this.config = config;
        this.database = database;
        this.feed = feed;
        this.metrics = metrics;
        this.upkeep = upkeep;
        this.notifications = notifications;
        this.api = api;
        this.follower = follower;
    }

    /** Opens (and migrates) the database, then starts serving on the configured address. */
    public static NetmeterServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** The same on {@code clock}: tests set it to close billing periods when they choose. */
    static NetmeterServer start(ServerConfig config, Clock clock) {
        Database database = Database.open(config.database());
        SyncFeed feed = null;
        ServerMetrics metrics = null;
        Optional<RouterFollower> follower = Optional.empty();
        try {
            Policy policy = config.auth().policy();
            Supplier<UUID> ids = new TimeOrderedIds(clock);
            Transactor tx = database.transactor();
            feed = SyncFeed.start(tx, FEED_POLL_INTERVAL);
            NotificationSettings notifying = config.notifications();
            UsageService usage = new UsageService(tx, policy, clock, config.usageRetention(), notifying.enabled()
                    ? new L3MeterNotifications(notifying.granular()) : UsageNotifications.NONE, config.closeGrace());
            BillingService billing = new BillingService(tx, policy, clock, config.closeGrace());
            Optional<NeutronRouterSource> neutron = config.neutron()
                    .map(settings -> NeutronRouterSource.create(settings, clock));
            var services = new ApiServer.Services(
                    new MeteringLabelService(tx, policy, ids, feed),
                    new MeteringRuleService(tx, policy, ids, feed),
                    new RouterService(tx, policy, ids, feed, neutron.map(ExternalRouters.class::cast)),
                    new SyncService(tx, policy, feed),
                    usage,
                    billing);
            SyncFeed changes = feed;
            follower = config.neutron().map(settings -> RouterFollower.start(neutron.orElseThrow(),
                    new RouterReconciler(tx, changes, settings.maxRemovalShare()), settings.pollInterval(), clock));
            metrics = new ServerMetrics(usage, feed, follower);
            Optional<RouterFollower> following = follower;
            ApiServer api = ApiServer.create(config.api(), authenticator(config.auth(), clock), services,
                    metrics.registry(), database::isReachable, () -> following.map(RouterFollower::status));
            api.start(config.host(), config.port());
            List<PeriodicTask> upkeep = List.of(UsagePruner.start(usage, PRUNE_PERIOD),
                    PeriodicTask.start("netmeter-totals-folder", "usage totals: folding", FOLD_PERIOD, FOLD_PERIOD,
                            usage::foldTotals),
                    StatementCloser.start(billing, CLOSE_PERIOD));
            // Publishes what the outbox holds, also what was stored before a restart or while RabbitMQ was away.
            Optional<NotificationPublisher> publisher = notifying.enabled()
                    ? Optional.of(NotificationPublisher.start(tx, notifying, clock, NOTIFICATION_POLL))
                    : Optional.empty();
            return new NetmeterServer(config, database, feed, metrics, upkeep, publisher, api, follower);
        } catch (RuntimeException e) {
            follower.ifPresent(RouterFollower::close);
            if (metrics != null) {
                metrics.close();
            }
            if (feed != null) {
                feed.close();
            }
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

    /** Notifications published by this server since it started; 0 when notifications are off. */
    public long notificationsPublished() {
        return notifications.map(NotificationPublisher::published).orElse(0L);
    }

    /** The port the API listens on. */
    public int port() {
        return api.port();
    }

    /** Lets requests in flight finish (up to the configured grace), then stops serving and closes the database. */
    @Override
    public void close() {
        follower.ifPresent(RouterFollower::close);
        feed.close();   // agents' long polls answer now instead of holding up the stop
        upkeep.forEach(PeriodicTask::close);
        notifications.ifPresent(NotificationPublisher::close);
        try {
            api.stop(config.shutdownGrace());
        } finally {
            metrics.close();
            database.close();
        }
    }
}
