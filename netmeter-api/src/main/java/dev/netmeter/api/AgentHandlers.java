package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.service.AgentReport;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageService;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Two netmeter additions for clients such as the dashboard: {@code GET /v2.0/metering/caller} (who the token
 * stands for, and what the API shows it) and {@code GET /v2.0/metering/agents} (each agent host's last report,
 * admins only). Thread-safe.
 */
final class AgentHandlers {
    private final UsageService usage;
    private final Requests requests;
    private final Duration reportInterval;

    AgentHandlers(UsageService usage, Requests requests, Duration reportInterval) {
        this.usage = usage;
        this.requests = requests;
        this.reportInterval = reportInterval;
    }

    /** {@code {"caller": {project_id, user_id, roles, usage_scope, agents}}}, from the policy in force. */
    void caller(Context ctx) {
        QueryParameters.requireKnown(QueryParameters.parse(ctx.queryString()).asMap(), Set.of());
        RequestContext caller = requests.caller(ctx);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode item = body.putObject("caller")
                .put("project_id", caller.projectId().value())
                .put("user_id", caller.userId());
        ArrayNode roles = item.putArray("roles");
        caller.roles().stream().sorted().forEach(roles::add);
        item.put("usage_scope", usage.usageScope(caller).name().toLowerCase(Locale.ROOT));
        item.put("agents", usage.mayReadAgents(caller));
        Json.respond(ctx, 200, body);
    }

    /** {@code {"agents": [{host, last_report_at, stale}], "report_interval_seconds", "stale_after_seconds"}}. */
    void agents(Context ctx) {
        QueryParameters.requireKnown(QueryParameters.parse(ctx.queryString()).asMap(), Set.of());
        RequestContext caller = requests.caller(ctx);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode agents = body.putArray("agents");
        for (AgentReport agent : usage.agents(caller, reportInterval)) {
            agents.addObject()
                    .put("host", agent.host())
                    .put("last_report_at", WireTime.format(agent.lastReport()))
                    .put("stale", agent.stale());
        }
        body.put("report_interval_seconds", reportInterval.toSeconds());
        body.put("stale_after_seconds", AgentReport.staleAfter(reportInterval).toSeconds());
        Json.respond(ctx, 200, body);
    }
}
