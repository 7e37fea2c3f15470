package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageGranularity;
import dev.netmeter.domain.usage.UsageGroup;
import dev.netmeter.domain.usage.UsageStep;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageService;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code POST /v2.0/metering/usage_reports} (agents send what they counted) and {@code GET /v2.0/metering/usage}
 * (sums by granularity and step). Thread-safe.
 */
final class UsageHandlers {
    /**
     * How large a usage report may be, whatever {@code api.max_body_bytes} says: 100,000 rows with 32-character
     * project ids take about 27 MB. The body is parsed as it arrives, never held whole.
     */
    static final long MAX_REPORT_BYTES = 64L << 20;

    private static final Set<String> PARAMETERS = Set.of("granularity", "label_id", "router_id", "project_id",
            "start", "end", "step", "split");
    private static final String GRANULARITIES = Stream.of(UsageGranularity.values())
            .map(UsageGranularity::wireName).collect(Collectors.joining(", "));

    private final UsageService usage;
    private final Requests requests;
    private final Semaphore reporting = new Semaphore(ApiServer.USAGE_REPORTS_AT_ONCE, true);

    UsageHandlers(UsageService usage, Requests requests) {
        this.usage = usage;
        this.requests = requests;
    }

    /** 201 with the report as stored the first time, 200 with the same body for a resend, 409 for other content. */
    void createReport(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        usage.checkMayReport(caller);       // before reading what may be megabytes
        UsageService.Received received;
        reporting.acquireUninterruptibly();
        try {
            received = usage.receive(caller,
                    Json.stream(ctx, Math.max(MAX_REPORT_BYTES, requests.maxBodyBytes()), UsageReportBody::read));
        } finally {
            reporting.release();
        }
        StoredUsageReport report = received.report();
        Json.respond(ctx, received.created() ? 201 : 200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("usage_report");
            json.writeStringField("id", report.id().toString());
            json.writeStringField("host", report.host());
            json.writeStringField("window_start", WireTime.format(report.windowStart()));
            json.writeStringField("window_end", WireTime.format(report.windowEnd()));
            json.writeNumberField("rows", report.rows());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    void usage(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        UsageRequest request = UsageRequest.parse(QueryParameters.parse(ctx.queryString()).asMap());
        List<UsageStep> steps = usage.usage(caller, request.filter(),
                usage.window(request.start(), request.end(), request.step()));
        Json.respond(ctx, 200, json -> write(json, request.filter(), steps));
    }

    /** The parameters of a usage query, each checked; the window's defaults are the service's. */
    private record UsageRequest(UsageFilter filter, Optional<Instant> start, Optional<Instant> end,
                                Optional<Long> step) {
        static UsageRequest parse(Map<String, List<String>> parameters) {
            QueryParameters.requireKnown(parameters, PARAMETERS);
            UsageGranularity granularity = QueryParameters.single(parameters, "granularity")
                    .map(text -> UsageGranularity.of(text).orElseThrow(() -> Attributes.invalidValue("granularity",
                            "'%s' is not one of %s".formatted(text, GRANULARITIES))))
                    .orElse(UsageGranularity.LABEL);
            UsageFilter filter = new UsageFilter(granularity,
                    ids(parameters, "router_id", RouterId::parse),
                    ids(parameters, "label_id", LabelId::parse),
                    projects(parameters),
                    QueryParameters.single(parameters, "split").map(UsageHandlers::split).orElse(false));
            return new UsageRequest(filter,
                    QueryParameters.single(parameters, "start").map(text -> WireTime.instant("start", text)),
                    QueryParameters.single(parameters, "end").map(text -> WireTime.instant("end", text)),
                    QueryParameters.single(parameters, "step").map(UsageHandlers::step));
        }
    }

    private static <T> Set<T> ids(Map<String, List<String>> parameters, String name,
                                  Function<String, Optional<T>> parse) {
        Set<T> ids = new LinkedHashSet<>();
        for (String text : parameters.getOrDefault(name, List.of())) {
            ids.add(parse.apply(text).orElseThrow(() -> Attributes.invalidValue(name,
                    "'%s' is not a valid UUID".formatted(text))));
        }
        return ids;
    }

    private static Set<ProjectId> projects(Map<String, List<String>> parameters) {
        Set<ProjectId> projects = new LinkedHashSet<>();
        for (String text : parameters.getOrDefault("project_id", List.of())) {
            projects.add(Attributes.projectId("project_id", text));
        }
        return projects;
    }

    /** {@code split=direction}: each group split by direction, the one split there is. */
    private static boolean split(String text) {
        if (!text.equals("direction")) {
            throw Attributes.invalidValue("split", "'%s' is not one of direction".formatted(text));
        }
        return true;
    }

    private static long step(String text) {
        // At most 18 digits, as before: a step is multiplied into instants downstream.
        return QueryParameters.asciiNumber(text).stream().filter(step -> step < 1_000_000_000_000_000_000L).findAny()
                .orElseThrow(() -> Attributes.invalidValue("step",
                        "'%s' is not a positive number of seconds".formatted(text)));
    }

    /**
     * {@code {"usage": [{<keys of the granularity>, [direction,] start, end, pkts, bytes, first_update,
     * last_update}]}}; {@code direction} only when split by it, {@code null} for usage counted without one.
     */
    private static void write(JsonGenerator json, UsageFilter filter, List<UsageStep> steps) throws IOException {
        UsageGranularity granularity = filter.granularity();
        json.writeStartObject();
        json.writeArrayFieldStart("usage");
        for (UsageStep step : steps) {
            json.writeStartObject();
            UsageGroup group = step.group();
            for (UsageGranularity.Dimension key : granularity.keys()) {
                switch (key) {
                    case ROUTER -> json.writeStringField("router_id", group.router().orElseThrow().toString());
                    case LABEL -> json.writeStringField("label_id", group.label().orElseThrow().toString());
                    case PROJECT -> json.writeStringField("project_id", group.project().orElseThrow().value());
                }
            }
            if (filter.byDirection()) {
                json.writeStringField("direction", group.direction().map(Direction::wireName).orElse(null));
            }
            json.writeStringField("start", WireTime.format(step.start()));
            json.writeStringField("end", WireTime.format(step.end()));
            json.writeNumberField("pkts", step.usage().packets());
            json.writeNumberField("bytes", step.usage().bytes());
            json.writeNumberField("first_update", step.usage().firstUpdate().getEpochSecond());
            json.writeNumberField("last_update", step.usage().lastUpdate().getEpochSecond());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
