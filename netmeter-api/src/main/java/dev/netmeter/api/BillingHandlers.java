package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule.CycleChange;
import dev.netmeter.domain.error.BillingCycleNotFoundException;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.BillingService.CycleState;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2.0/metering/billing_cycles/{project_id}}: a project's billing cycle, its current period and the
 * change pending for the next one. A netmeter addition; Neutron has no billing. Thread-safe.
 */
final class BillingHandlers {
    private static final String SINGULAR = "billing_cycle";
    private static final List<String> REQUIRED = List.of("start_day", "time_zone");
    private static final Set<String> READ_ONLY = Set.of("project_id", "current_period", "pending");

    private final BillingService billing;
    private final Requests requests;

    BillingHandlers(BillingService billing, Requests requests) {
        this.billing = billing;
        this.requests = requests;
    }

    void show(Context ctx) {
        respond(ctx, billing.get(requests.caller(ctx), project(ctx)));
    }

    /** Both attributes are required: a cycle is a day in a zone, and half of one is ambiguous mid-change. */
    void update(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        ProjectId project = project(ctx);
        ObjectNode item = ResourceBody.forUpdate(requests.body(ctx), SINGULAR);
        Attributes attributes = Attributes.forPut(item, Set.copyOf(REQUIRED), READ_ONLY);
        attributes.require(REQUIRED);
        int startDay = Math.toIntExact(attributes.integer("start_day", 1, BillingCycle.LATEST_START_DAY,
                "an integer from 1 to %d".formatted(BillingCycle.LATEST_START_DAY)));
        BillingCycle cycle = new BillingCycle(startDay, zone(item.get("time_zone")));
        respond(ctx, billing.update(caller, project, cycle));
    }

    /**
     * An IANA time zone: a region id as {@code Europe/Berlin}, or {@code UTC}. Fixed offsets ({@code +02:00},
     * {@code UTC+2}, {@code Etc/GMT-2}) are refused: a billing zone is where the customer's midnight is, and an
     * offset does not follow its daylight-saving changes. Names are exact, as in the time zone database (case
     * included).
     */
    private static ZoneId zone(JsonNode value) {
        String reason;
        if (value == null || !value.isTextual()) {
            reason = "'%s' is not a time zone name".formatted(Attributes.python(value));
        } else if (ZoneId.getAvailableZoneIds().contains(value.textValue())) {
            ZoneId zone = ZoneId.of(value.textValue());
            // Etc/GMT-2, EST and the like are names of offsets; the UTC names are the default's.
            if (!zone.getRules().isFixedOffset() || zone.normalized().equals(ZoneOffset.UTC)) {
                return zone;
            }
            reason = "'%s' is a fixed offset, not a region's time zone such as Europe/Berlin"
                    .formatted(value.textValue());
        } else {
            reason = ("'%s' is not an IANA time zone name such as Europe/Berlin or UTC (fixed offsets are not "
                    + "accepted)").formatted(value.textValue());
        }
        throw Attributes.invalidValue("time_zone", reason);
    }

    /** The project of the path; one no project can have (too long, a NUL) has no cycle to see. */
    private static ProjectId project(Context ctx) {
        String id = ctx.pathParam("project_id");
        if (id.codePointCount(0, id.length()) > ProjectId.MAX_LENGTH || id.indexOf('\0') >= 0) {
            throw new BillingCycleNotFoundException(id);
        }
        return new ProjectId(id);
    }

    private static void respond(Context ctx, CycleState state) {
        Json.respond(ctx, 200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart(SINGULAR);
            json.writeStringField("project_id", state.project().value());
            writeCycle(json, state.cycle());
            BillingPeriod period = state.currentPeriod();
            json.writeObjectFieldStart("current_period");
            json.writeStringField("name", period.name().toString());
            json.writeStringField("start", WireTime.format(period.start()));
            json.writeStringField("end", WireTime.format(period.end()));
            json.writeEndObject();
            if (state.pending().isPresent()) {
                CycleChange pending = state.pending().orElseThrow();
                json.writeObjectFieldStart("pending");
                json.writeStringField("effective_from", pending.effectiveFrom().toString());
                writeCycle(json, pending.cycle());
                json.writeEndObject();
            } else {
                json.writeNullField("pending");
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void writeCycle(JsonGenerator json, BillingCycle cycle) throws IOException {
        json.writeNumberField("start_day", cycle.startDay());
        json.writeStringField("time_zone", cycle.zoneName());
    }
}
