package dev.netmeter.server;

import dev.netmeter.service.RouterFollower;
import dev.netmeter.service.SyncFeed;
import dev.netmeter.service.UsageService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * The meters of one server, for {@code GET /metrics}: the JVM's and the process's, the usage reports stored
 * and replayed since start, and the agents waiting in a long poll. The usage totals are not meters: the API
 * writes them from the database at each scrape. Close it to stop the garbage-collection listener.
 */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics(UsageService usage, SyncFeed feed, Optional<RouterFollower> follower) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Micrometer adds _total to counters: netmeter_usage_reports_total, netmeter_usage_report_replays_total.
        FunctionCounter.builder("netmeter.usage.reports", usage, UsageService::reportsStored)
                .description("Usage reports stored since the server started (first arrivals)")
                .register(registry);
        FunctionCounter.builder("netmeter.usage.report.replays", usage, UsageService::replaysReceived)
                .description("Usage reports received again since the server started, answered with the stored one")
                .register(registry);
        Gauge.builder("netmeter.sync.waiting.agents", feed, SyncFeed::waitingAgents)
                .description("Agents waiting in a long poll for their sync data to change")
                .register(registry);
        follower.ifPresent(routers -> Gauge.builder("netmeter.routers.view.age", routers,
                        following -> following.status().viewAge().toMillis() / 1000.0)
                .description("Seconds since the router source (Neutron) was last read completely; since the server "
                        + "started, if it has not been")
                .baseUnit("seconds")
                .register(registry));
    }

    /** The registry the API scrapes. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
