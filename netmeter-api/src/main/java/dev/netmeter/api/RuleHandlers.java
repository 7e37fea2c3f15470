package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.error.OperationNotSupportedException;
import dev.netmeter.domain.query.RuleField;
import dev.netmeter.service.MeteringRuleService;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Function;

/** {@code /v2.0/metering/metering-label-rules}: parse, call the service, render. Thread-safe. */
final class RuleHandlers {
    static final ResourceSchema<RuleField, MeteringLabelRule> SCHEMA = new ResourceSchema<>(
            "metering_label_rule", "metering_label_rules", "/v2.0/metering/metering-label-rules",
            Map.of("id", RuleField.ID, "metering_label_id", RuleField.LABEL_ID, "direction", RuleField.DIRECTION,
                    "excluded", RuleField.EXCLUDED, "remote_ip_prefix", RuleField.REMOTE_IP_PREFIX,
                    "source_ip_prefix", RuleField.SOURCE_IP_PREFIX,
                    "destination_ip_prefix", RuleField.DESTINATION_IP_PREFIX),
            Set.of("excluded"),
            attributes());
    private static final Set<String> POST_ATTRIBUTES = Set.of("metering_label_id", "direction", "excluded",
            "remote_ip_prefix", "source_ip_prefix", "destination_ip_prefix");
    private static final Set<String> PUT_ALLOWED = Set.of("source_ip_prefix", "destination_ip_prefix");

    private final MeteringRuleService rules;
    private final Requests requests;

    RuleHandlers(MeteringRuleService rules, Requests requests) {
        this.rules = rules;
        this.requests = requests;
    }

    void create(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        ResourceBody body = ResourceBody.forCreate(requests.body(ctx), SCHEMA.singular(), SCHEMA.plural());
        List<NewRule> toCreate = body.items().stream().map(RuleHandlers::newRule).toList();
        Responses.created(ctx, SCHEMA, rules.create(caller, toCreate), body.bulk());
    }

    void show(Context ctx) {
        MeteringLabelRule rule = rules.get(requests.caller(ctx), ctx.pathParam("id"));
        Responses.one(ctx, 200, SCHEMA, rule, requests.fields(ctx, SCHEMA));
    }

    void list(Context ctx) {
        ListRequest<RuleField> request = requests.list(ctx, SCHEMA);
        List<MeteringLabelRule> found = rules.list(requests.caller(ctx), request.query());
        Responses.list(ctx, requests.baseUrl(ctx), SCHEMA, request, found, rule -> rule.id().toString());
    }

    void delete(Context ctx) {
        rules.delete(requests.caller(ctx), ctx.pathParam("id"));
        Responses.noContent(ctx);
    }

    /**
     * Neutron's rule attributes are read-only (no {@code allow_put}; naming one is its 400 "Cannot update read-only
     * attribute") except the source and destination prefixes (neutron-lib's
     * {@code metering_source_and_destination_fields}), which reach its plugin; the plugin has no update: 501.
     */
    void update(Context ctx) {
        requests.caller(ctx);
        Attributes.refuseUpdate(ResourceBody.forUpdate(requests.body(ctx), SCHEMA.singular()), SCHEMA, PUT_ALLOWED);
        throw new OperationNotSupportedException(
                "Metering label rules cannot be updated; delete the rule and create a new one.");
    }

    private static NewRule newRule(ObjectNode item) {
        Attributes attributes = Attributes.forPost(item, POST_ATTRIBUTES, Set.of("id"),
                List.of("metering_label_id", "direction"), List.of("excluded"));
        LabelId label = LabelId.parse(attributes.uuid("metering_label_id")).orElseThrow();
        Direction direction = Direction.fromWire(attributes.oneOf("direction", Attributes.DIRECTIONS)).orElseThrow();
        return new NewRule(label, direction, attributes.bool("excluded", false),
                prefix(attributes, "remote_ip_prefix"),
                prefix(attributes, "source_ip_prefix"),
                prefix(attributes, "destination_ip_prefix"));
    }

    /**
     * The prefix in {@code name}, if any. An empty string is no prefix, as in Neutron 21, which stores it so: a
     * script passing an empty variable ({@code --source-ip-prefix '' --destination-ip-prefix 10.20.0.0/16}) must
     * work; a rule with no prefix at all is still refused.
     */
    private static Optional<Cidr> prefix(Attributes attributes, String name) {
        return attributes.optionalString(name, Cidr.MAX_TEXT_LENGTH).filter(text -> !text.isEmpty())
                .map(text -> Cidr.parse(name, text));
    }

    private static SequencedMap<String, Function<MeteringLabelRule, Object>> attributes() {
        SequencedMap<String, Function<MeteringLabelRule, Object>> attributes = new LinkedHashMap<>();
        attributes.put("id", rule -> rule.id().toString());
        attributes.put("metering_label_id", rule -> rule.labelId().toString());
        attributes.put("direction", rule -> rule.direction().wireName());
        attributes.put("remote_ip_prefix", rule -> text(rule.remoteIpPrefix()));
        attributes.put("source_ip_prefix", rule -> text(rule.sourceIpPrefix()));
        attributes.put("destination_ip_prefix", rule -> text(rule.destinationIpPrefix()));
        attributes.put("excluded", MeteringLabelRule::excluded);
        return attributes;
    }

    /** A prefix as the wire writes it: its text, or null for none. */
    static String text(Optional<Cidr> prefix) {
        return prefix.map(Cidr::text).orElse(null);
    }
}
