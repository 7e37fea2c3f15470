package dev.netmeter.api;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.service.UsageService;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: Prometheus' text exposition format 0.0.4. The registry's meters (JVM, process, the
 * server's own counters and gauges) come first, then the usage families, written here because their series
 * are the rows of a table: {@code netmeter_label_packets_total} and {@code netmeter_label_bytes_total} per
 * (label, project), or per (label, project, router) with {@code metrics.router_detail};
 * {@code netmeter_project_packets_total} and {@code netmeter_project_bytes_total} per project; and
 * {@code netmeter_agent_last_report_timestamp_seconds} per host. Thread-safe.
 *
 * <p>Per label is the default because a fleet has far more (router, label) pairs than labels: at 1,000 routers
 * counting 100 labels, a series per pair is 100,000 series and 32 MB a scrape, per label 100 series.
 */
final class MetricsHandlers {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String STORED = ", over every stored usage report.";

    private final UsageService usage;
    private final PrometheusMeterRegistry registry;
    private final Requests requests;
    private final boolean perRouter;

    MetricsHandlers(UsageService usage, PrometheusMeterRegistry registry, Requests requests, boolean perRouter) {
        this.usage = usage;
        this.registry = registry;
        this.requests = requests;
        this.perRouter = perRouter;
    }

    void metrics(Context ctx) {
        UsageService.Totals totals = usage.totals(requests.caller(ctx), perRouter);   // the policy check comes first
        StringBuilder text = new StringBuilder(registry.scrape());
        if (perRouter) {
            writeRouterLabels(text, "netmeter_label_packets_total", "Packets counted per label on each router" + STORED,
                    totals.routerLabels(), Usage::packets);
            writeRouterLabels(text, "netmeter_label_bytes_total", "Bytes counted per label on each router" + STORED,
                    totals.routerLabels(), Usage::bytes);
        } else {
            writeLabels(text, "netmeter_label_packets_total", "Packets counted per label on all routers" + STORED,
                    totals, Usage::packets);
            writeLabels(text, "netmeter_label_bytes_total", "Bytes counted per label on all routers" + STORED,
                    totals, Usage::bytes);
        }
        writeProjects(text, "netmeter_project_packets_total", "Packets counted per project (its labels' sum)" + STORED,
                totals, Usage::packets);
        writeProjects(text, "netmeter_project_bytes_total", "Bytes counted per project (its labels' sum)" + STORED,
                totals, Usage::bytes);
        family(text, "netmeter_agent_last_report_timestamp_seconds", "gauge",
                "When the server last received a usage report from each agent host (a resent one counts).");
        for (Map.Entry<String, Instant> host : totals.lastReports().entrySet()) {
            text.append("netmeter_agent_last_report_timestamp_seconds{host=\"").append(escape(host.getKey()))
                    .append("\"} ").append(BigDecimal.valueOf(host.getValue().toEpochMilli(), 3).toPlainString())
                    .append('\n');
        }
        ctx.status(200).contentType(CONTENT_TYPE).result(text.toString());
    }

    private static void writeRouterLabels(StringBuilder text, String name, String help, Map<UsageKey, Usage> totals,
                                          ToLongFunction<Usage> value) {
        family(text, name, "counter", help);
        for (Map.Entry<UsageKey, Usage> total : totals.entrySet()) {
            UsageKey key = total.getKey();
            text.append(name).append("{label_id=\"").append(key.label())
                    .append("\",project_id=\"").append(escape(key.project().value()))
                    .append("\",router_id=\"").append(key.router()).append('"');
            direction(text, key.direction());
            text.append("} ").append(value.applyAsLong(total.getValue())).append('\n');
        }
    }

    private static void writeLabels(StringBuilder text, String name, String help, UsageService.Totals totals,
                                    ToLongFunction<Usage> value) {
        family(text, name, "counter", help);
        for (LabelTotal total : totals.labels()) {
            text.append(name).append("{label_id=\"").append(total.label())
                    .append("\",project_id=\"").append(escape(total.project().value())).append('"');
            direction(text, total.direction());
            text.append("} ").append(value.applyAsLong(total.usage())).append('\n');
        }
    }

    /**
     * A series' {@code direction} label, for usage counted per direction: none for usage counted both ways as one,
     * so that its series stay what they were before directions existed.
     */
    private static void direction(StringBuilder text, Optional<Direction> direction) {
        direction.ifPresent(known -> text.append(",direction=\"").append(known.wireName()).append('"'));
    }

    /** A project's total is its labels' sum; exact past a long, as Prometheus reads it as a double anyway. */
    private static void writeProjects(StringBuilder text, String name, String help, UsageService.Totals totals,
                                      ToLongFunction<Usage> value) {
        SortedMap<ProjectId, BigInteger> projects = new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
        for (LabelTotal total : totals.labels()) {
            projects.merge(total.project(), BigInteger.valueOf(value.applyAsLong(total.usage())), BigInteger::add);
        }
        family(text, name, "counter", help);
        projects.forEach((project, sum) -> text.append(name).append("{project_id=\"").append(escape(project.value()))
                .append("\"} ").append(sum).append('\n'));
    }

    private static void family(StringBuilder text, String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** A label value as the exposition format wants it: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
