package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.SyncService;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code GET /v2.0/metering/sync?host=…[&since=<revision>[&timeout=<seconds>]]}: an agent host's routers,
 * the labels that apply to them and their rules. With {@code since}, a long poll: the answer comes when the
 * host's data has changed after that revision, or 304 Not Modified after {@code timeout}. Thread-safe.
 *
 * <p>Labels are listed once, each with its rules, and routers name theirs by id: Neutron's RPC repeats
 * every label under every router, which for 1,000 routers and 100 shared labels of 20 rules would be
 * two million rule objects.
 */
final class SyncHandlers {
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    static final Duration MAX_WAIT = Duration.ofSeconds(120);
    private static final Set<String> PARAMETERS = Set.of("host", "since", "timeout");

    private final SyncService sync;
    private final Requests requests;

    SyncHandlers(SyncService sync, Requests requests) {
        this.sync = sync;
        this.requests = requests;
    }

    void sync(Context ctx) throws InterruptedException, IOException {
        RequestContext caller = requests.caller(ctx);
        Map<String, List<String>> parameters = QueryParameters.parse(ctx.queryString()).asMap();
        QueryParameters.requireKnown(parameters, PARAMETERS);
        String host = QueryParameters.single(parameters, "host").orElseThrow(
                () -> new InvalidRequestException("Required query parameter 'host' not specified"));
        LinuxNames.hostNameProblem(host).ifPresent(problem -> {
            throw new InvalidRequestException("Invalid input for host. Reason: %s.".formatted(problem));
        });
        Optional<Long> since = QueryParameters.single(parameters, "since").map(text -> number("since", text));
        Duration wait = QueryParameters.single(parameters, "timeout")
                .map(text -> Duration.ofSeconds(number("timeout", text)))
                .orElse(DEFAULT_WAIT);
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("Invalid input for timeout. Reason: '%d' is more than %d seconds."
                    .formatted(wait.toSeconds(), MAX_WAIT.toSeconds()));
        }
        if (since.isEmpty()) {
            respond(ctx, host, sync.read(caller, host));
            return;
        }
        Optional<HostSyncData> changed = sync.readChanged(caller, host, since.get(), wait);
        if (changed.isPresent()) {
            respond(ctx, host, changed.get());
        } else {
            ctx.status(304);
            ctx.res().setContentType(null);
        }
    }

    private static long number(String name, String text) {
        return QueryParameters.asciiNumber(text).orElseThrow(() -> new InvalidRequestException(
                "Invalid input for %s. Reason: '%s' is not a non-negative integer.".formatted(name, text)));
    }

    /**
     * Streams {@code {"sync": {"host", "revision", "routers": [router + "_metering_labels": [label ids]],
     * "metering_labels": [label + "rules": [rule]]}}}: the answer for a large host is megabytes, which a tree
     * would first hold in memory whole. Items are rendered as the resources' own endpoints render them.
     */
    static void respond(Context ctx, String host, HostSyncData data) throws IOException {
        Map<ProjectId, List<String>> ownLabels = new HashMap<>();
        StringJoiner shared = new StringJoiner(",");
        for (MeteringLabel label : data.labels()) {
            if (label.shared()) {
                shared.add('"' + label.id().toString() + '"');     // a UUID needs no escaping
            } else {
                ownLabels.computeIfAbsent(label.projectId(), project -> new ArrayList<>()).add(label.id().toString());
            }
        }
        String sharedIds = shared.toString();
        ctx.status(200).contentType(Json.CONTENT_TYPE);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(ctx.outputStream())) {
            json.writeStartObject();
            json.writeObjectFieldStart("sync");
            json.writeStringField("host", host);
            json.writeNumberField("revision", data.revision());
            json.writeArrayFieldStart("routers");
            for (Router router : data.routers()) {
                json.writeStartObject();
                RouterHandlers.SCHEMA.writeAttributes(json, router, List.of());
                json.writeArrayFieldStart("_metering_labels");
                for (String id : ownLabels.getOrDefault(router.projectId(), List.of())) {
                    json.writeString(id);
                }
                if (!sharedIds.isEmpty()) {
                    if (ownLabels.containsKey(router.projectId())) {
                        json.writeRaw(',');
                    }
                    json.writeRaw(sharedIds);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("metering_labels");
            int next = 0;
            List<MeteringLabelRule> rules = data.rules();
            for (MeteringLabel label : data.labels()) {
                json.writeStartObject();
                LabelHandlers.SCHEMA.writeAttributes(json, label, List.of());
                json.writeArrayFieldStart("rules");
                // Rules come in their labels' order.
                for (; next < rules.size() && rules.get(next).labelId().equals(label.id()); next++) {
                    RuleHandlers.SCHEMA.write(json, rules.get(next), List.of());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }
    }
}
