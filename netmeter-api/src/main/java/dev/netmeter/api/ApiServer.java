package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.error.HttpMethodNotAllowedException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.error.MeteringException;
import dev.netmeter.domain.error.NotAuthenticatedException;
import dev.netmeter.domain.error.RequestTooLargeException;
import dev.netmeter.domain.error.ResourceNotFoundException;
import dev.netmeter.domain.error.TooManyRequestsException;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.RouterFollower;
import dev.netmeter.service.RouterService;
import dev.netmeter.service.SyncService;
import dev.netmeter.service.UsageService;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server: every route and every error mapping is listed here and nowhere else.
 * Handlers run on virtual threads.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("netmeter.access");
    static final String REQUEST_ID = "request_id";
    /**
     * Paths any client may call without credentials: version discovery (as in Neutron) and health; and the
     * dashboard's files ({@link Dashboard#serves}).
     */
    private static final Set<String> PUBLIC_PATHS = Set.of("/", "/healthz");
    /** How long a connection may be silent beyond the longest long poll. */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);
    private static final int ACCEPT_QUEUE = 1024;

    private final Javalin app;
    private final InFlightRequests inFlight;
    private final AtomicReference<Server> jetty;

    private ApiServer(Javalin app, InFlightRequests inFlight, AtomicReference<Server> jetty) {
        this.app = app;
        this.inFlight = inFlight;
        this.jetty = jetty;
    }

    /**
     * How many usage reports are read and stored at once; others wait their turn. A report of 100,000 rows
     * holds a few hundred MB of heap meanwhile, and agents that were cut off all send their backlog when the
     * server is back.
     */
    public static final int USAGE_REPORTS_AT_ONCE = 4;

    /** The services the API serves. */
    public record Services(MeteringLabelService labels, MeteringRuleService rules, RouterService routers,
                           SyncService sync, UsageService usage, BillingService billing) {
    }

    /**
     * Builds the server; {@link #start} binds it.
     *
     * @param metrics the meters {@code GET /metrics} shows before the usage families
     * @param databaseReachable answers {@code GET /healthz}
     */
    public static ApiServer create(ApiSettings settings, Authenticator authenticator, Services services,
                                   PrometheusMeterRegistry metrics, BooleanSupplier databaseReachable) {
        return create(settings, authenticator, services, metrics, databaseReachable, Optional::empty);
    }

    /**
     * Builds the server; {@link #start} binds it.
     *
     * @param metrics the meters {@code GET /metrics} shows before the usage families
     * @param databaseReachable answers {@code GET /healthz}
     * @param routerSource how the routers follow their external source, for {@code GET /healthz}; empty:
     *     routers are kept through the API
     */
    public static ApiServer create(ApiSettings settings, Authenticator authenticator, Services services,
                                   PrometheusMeterRegistry metrics, BooleanSupplier databaseReachable,
                                   Supplier<Optional<RouterFollower.Status>> routerSource) {
        Requests requests = new Requests(authenticator, settings);
        var discovery = new DiscoveryHandlers(requests);
        var labelHandlers = new LabelHandlers(services.labels(), requests);
        var ruleHandlers = new RuleHandlers(services.rules(), requests);
        var routerHandlers = new RouterHandlers(services.routers(), requests);
        var syncHandlers = new SyncHandlers(services.sync(), requests);
        var usageHandlers = new UsageHandlers(services.usage(), requests);
        var billingHandlers = new BillingHandlers(services.billing(), requests);
        var statementHandlers = new StatementHandlers(services.billing(), requests);
        var agentHandlers = new AgentHandlers(services.usage(), requests, settings.agentReportInterval());
        var dashboard = Dashboard.load();
        var metricsHandlers = new MetricsHandlers(services.usage(), metrics, requests, settings.metricsPerRouter());
        var inFlight = new InFlightRequests();
        var jetty = new AtomicReference<Server>();
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(settings.maxHeaderBytes());
                http.setSendServerVersion(false);
            });
            config.jetty.modifyServer(server -> {
                jetty.set(server);
                server.setErrorHandler(new JsonErrorHandler());
                // Javalin nests its handler inside the innermost wrapper: the gate, which refuses what must not
                // reach routing, inside the counter, which counts a request until Jetty has completed it,
                // response written: the only point a graceful stop may cut the connection.
                org.eclipse.jetty.server.Handler.Wrapper counting = inFlight.countingHandler();
                counting.setHandler(new RequestGate());
                server.setHandler(counting);
                // Jetty's default (30 s) would cut an agent's long poll; the connector is added later.
                server.addEventListener(new Container.Listener() {
                    @Override
                    public void beanAdded(Container parent, Object child) {
                        if (child instanceof AbstractConnector connector) {
                            connector.setIdleTimeout(SyncHandlers.MAX_WAIT.plus(IDLE_MARGIN).toMillis());
                        }
                        // A fleet of agents reconnects at once after a restart; Java's default backlog is 50.
                        if (child instanceof ServerConnector connector) {
                            connector.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }

                    @Override
                    public void beanRemoved(Container parent, Object child) {
                    }
                });
            });
            // Jetty's servlet layer answers some requests itself (OPTIONS *, a path it cannot map): in our format too.
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.requestLogger.http(ApiServer::logAccess);

            config.routes.before(ApiServer::begin);
            // Everything but version discovery and the health check needs a caller, known before routing,
            // so that an unauthenticated client learns nothing, not even which paths exist.
            config.routes.before(ctx -> {
                if (!PUBLIC_PATHS.contains(ctx.path()) && !Dashboard.serves(ctx.path())) {
                    requests.caller(ctx);
                }
            });
            config.routes.after(ctx -> MDC.remove(REQUEST_ID));

            get(config, "/", discovery::versions);
            get(config, "/healthz", ctx -> health(ctx, databaseReachable, routerSource.get()));
            get(config, "/v2.0", discovery::resources);
            get(config, "/v2.0/extensions", discovery::extensions);
            get(config, "/v2.0/extensions/{alias}", discovery::extension);

            config.routes.post("/v2.0/metering/metering-labels", labelHandlers::create);
            get(config, "/v2.0/metering/metering-labels", labelHandlers::list);
            get(config, "/v2.0/metering/metering-labels/{id}", labelHandlers::show);
            config.routes.put("/v2.0/metering/metering-labels/{id}", labelHandlers::update);
            config.routes.delete("/v2.0/metering/metering-labels/{id}", labelHandlers::delete);

            config.routes.post("/v2.0/metering/metering-label-rules", ruleHandlers::create);
            get(config, "/v2.0/metering/metering-label-rules", ruleHandlers::list);
            get(config, "/v2.0/metering/metering-label-rules/{id}", ruleHandlers::show);
            config.routes.put("/v2.0/metering/metering-label-rules/{id}", ruleHandlers::update);
            config.routes.delete("/v2.0/metering/metering-label-rules/{id}", ruleHandlers::delete);

            config.routes.post("/v2.0/metering/routers", routerHandlers::create);
            get(config, "/v2.0/metering/routers", routerHandlers::list);
            get(config, "/v2.0/metering/routers/{id}", routerHandlers::show);
            config.routes.put("/v2.0/metering/routers/{id}", routerHandlers::update);
            config.routes.delete("/v2.0/metering/routers/{id}", routerHandlers::delete);

            get(config, "/v2.0/metering/sync", syncHandlers::sync);
            config.routes.post("/v2.0/metering/usage_reports", usageHandlers::createReport);
            get(config, "/v2.0/metering/usage", usageHandlers::usage);

            get(config, "/v2.0/metering/billing_cycles/{project_id}", billingHandlers::show);
            config.routes.put("/v2.0/metering/billing_cycles/{project_id}", billingHandlers::update);
            get(config, "/v2.0/metering/statements", statementHandlers::show);

            get(config, "/v2.0/metering/caller", agentHandlers::caller);
            get(config, "/v2.0/metering/agents", agentHandlers::agents);

            get(config, "/metrics", metricsHandlers::metrics);

            // The dashboard: its page and files need no token; what it shows comes from the API with the user's.
            get(config, Dashboard.PATH, dashboard::page);
            get(config, Dashboard.PATH + "/{file}", dashboard::asset);

            // Unknown paths, wrong methods, oversized bodies: Javalin's own answers, in Neutron's format.
            config.routes.exception(HttpResponseException.class,
                    (error, ctx) -> frameworkError(error, ctx, settings.maxBodyBytes()));
            config.routes.exception(Exception.class, (error, ctx) -> {
                if (error instanceof NotAuthenticatedException) {
                    authenticator.challenge().ifPresent(challenge -> ctx.header("WWW-Authenticate", challenge));
                } else if (error instanceof TooManyRequestsException throttled) {
                    ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
                }
                applicationError(error, ctx);
            });
            // No config.routes.error(…): status handlers run after exception handlers and would
            // overwrite the NeutronError body.
        });
        return new ApiServer(app, inFlight, jetty);
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving. */
    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (waiting at most {@code grace}),
     * then stops the server.
     */
    public void stop(Duration grace) {
        Server server = jetty.get();
        if (server != null) {
            for (var connector : server.getConnectors()) {
                if (connector instanceof org.eclipse.jetty.server.NetworkConnector network) {
                    network.close();    // no new connections; open ones keep being served
                }
            }
        }
        if (!inFlight.awaitIdle(grace)) {
            LOG.warn("stopping with {} request(s) still in flight after {}", inFlight.count(), grace);
        }
        app.stop();
    }

    /**
     * Routes GET and HEAD of {@code path} to {@code handler}: HEAD answers exactly what GET answers, status and
     * headers (Jetty sends no body). Javalin's own HEAD answers 200 for any GET path, even a missing resource.
     */
    private static void get(JavalinConfig config, String path, Handler handler) {
        config.routes.get(path, handler);
        config.routes.head(path, handler);
    }

    /** The request id the {@link RequestGate} gave the request, for the log lines of its handling. */
    private static void begin(Context ctx) {
        String requestId = ctx.attribute(RequestGate.REQUEST_ID_ATTRIBUTE);
        ctx.attribute(REQUEST_ID, requestId);
        MDC.put(REQUEST_ID, requestId);
    }

    /** Runs after the after-handlers, so it puts the request id back into the MDC for its one line. */
    private static void logAccess(Context ctx, Float millis) {
        String requestId = ctx.attribute(REQUEST_ID);
        MDC.put(REQUEST_ID, requestId);
        try {
            ACCESS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(millis));
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }

    /**
     * The database decides the status. An old router view does not: the API and the agents go on serving with
     * the routers last read, and a balancer must not take the server out for it; the block says how old it is.
     */
    private static void health(Context ctx, BooleanSupplier databaseReachable,
                               Optional<RouterFollower.Status> routerSource) {
        boolean up = databaseReachable.getAsBoolean();
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("status", up ? "ok" : "unavailable")
                .put("database", up ? "ok" : "unreachable");
        ObjectNode routers = body.putObject("routers");
        routerSource.ifPresentOrElse(status -> {
            routers.put("source", status.source());
            routers.put("last_success", status.lastSuccess().map(WireTime::format).orElse(null));
            routers.put("view_age_seconds", status.viewAge().toSeconds());
            routers.put("routers", status.routers());
            routers.put("last_error", status.lastError().orElse(null));
        }, () -> routers.put("source", "api"));
        Json.respond(ctx, up ? 200 : 503, body);
    }

    private static void frameworkError(HttpResponseException error, Context ctx, long maxBodyBytes) {
        MeteringException mapped = switch (error.getStatus()) {
            case 404 -> new ResourceNotFoundException("The resource could not be found.");
            case 405 -> new HttpMethodNotAllowedException(ctx.method().name());
            case 413 -> new RequestTooLargeException(maxBodyBytes);
            default -> new InvalidRequestException(error.getMessage());
        };
        applicationError(mapped, ctx);
    }

    private static void applicationError(Exception error, Context ctx) {
        NeutronErrors.Rendered rendered = NeutronErrors.render(error);
        if (rendered.status() == 500) {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), error);
        } else if (rendered.status() == 503) {
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), error.getMessage(), error.getCause());
        }
        Json.respond(ctx, rendered.status(), rendered.body());
    }
}
