package dev.netmeter.api;

import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.service.UsageService;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: Prometheus' text exposition format 0.0.4. The registry's meters (JVM, process, the
 * server's own counters and gauges) come first, then the usage families, written here because their series
 * are the rows of a table: {@code netmeter_label_packets_total} and {@code netmeter_label_bytes_total} per
 * (label, project, router), and {@code netmeter_agent_last_report_timestamp_seconds} per host. Thread-safe.
 */
final class MetricsHandlers {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final UsageService usage;
    private final PrometheusMeterRegistry registry;
    private final Requests requests;

    MetricsHandlers(UsageService usage, PrometheusMeterRegistry registry, Requests requests) {
        this.usage = usage;
        this.registry = registry;
        this.requests = requests;
    }

    void metrics(Context ctx) {
        UsageService.Totals totals = usage.totals(requests.caller(ctx));   // the policy check comes first
        StringBuilder text = new StringBuilder(registry.scrape());
        writeTotals(text, "netmeter_label_packets_total", "Packets counted per label on each router, over every "
                + "stored usage report.", totals.usage(), Usage::packets);
        writeTotals(text, "netmeter_label_bytes_total", "Bytes counted per label on each router, over every "
                + "stored usage report.", totals.usage(), Usage::bytes);
        family(text, "netmeter_agent_last_report_timestamp_seconds", "gauge",
                "When the server last received a usage report from each agent host (a resent one counts).");
        for (Map.Entry<String, Instant> host : totals.lastReports().entrySet()) {
            text.append("netmeter_agent_last_report_timestamp_seconds{host=\"").append(escape(host.getKey()))
                    .append("\"} ").append(BigDecimal.valueOf(host.getValue().toEpochMilli(), 3).toPlainString())
                    .append('\n');
        }
        ctx.status(200).contentType(CONTENT_TYPE).result(text.toString());
    }

    private static void writeTotals(StringBuilder text, String name, String help, Map<UsageKey, Usage> totals,
                                    ToLongFunction<Usage> value) {
        family(text, name, "counter", help);
        for (Map.Entry<UsageKey, Usage> total : totals.entrySet()) {
            UsageKey key = total.getKey();
            text.append(name).append("{label_id=\"").append(key.label())
                    .append("\",project_id=\"").append(escape(key.project().value()))
                    .append("\",router_id=\"").append(key.router())
                    .append("\"} ").append(value.applyAsLong(total.getValue())).append('\n');
        }
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
