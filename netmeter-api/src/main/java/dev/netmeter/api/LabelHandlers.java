package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.OperationNotSupportedException;
import dev.netmeter.domain.query.LabelField;
import dev.netmeter.service.MeteringLabelService;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Function;

/** {@code /v2.0/metering/metering-labels}: parse, call the service, render. Thread-safe. */
final class LabelHandlers {
    static final ResourceSchema<LabelField, MeteringLabel> SCHEMA = new ResourceSchema<>(
            "metering_label", "metering_labels", "/v2.0/metering/metering-labels",
            Map.of("id", LabelField.ID, "name", LabelField.NAME, "description", LabelField.DESCRIPTION,
                    "shared", LabelField.SHARED, "project_id", LabelField.PROJECT_ID,
                    "tenant_id", LabelField.PROJECT_ID),
            Set.of("shared"),
            attributes());
    private static final Set<String> POST_ATTRIBUTES = Set.of("name", "description", "shared", "project_id",
            "tenant_id");

    private final MeteringLabelService labels;
    private final Requests requests;

    LabelHandlers(MeteringLabelService labels, Requests requests) {
        this.labels = labels;
        this.requests = requests;
    }

    void create(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        ResourceBody body = ResourceBody.forCreate(requests.body(ctx), SCHEMA.singular(), SCHEMA.plural());
        List<NewLabel> toCreate = body.items().stream().map(item -> newLabel(item, caller)).toList();
        Responses.created(ctx, SCHEMA, labels.create(caller, toCreate), body.bulk());
    }

    void show(Context ctx) {
        MeteringLabel label = labels.get(requests.caller(ctx), ctx.pathParam("id"));
        Responses.one(ctx, 200, SCHEMA, label, requests.fields(ctx, SCHEMA));
    }

    void list(Context ctx) {
        ListRequest<LabelField> request = requests.list(ctx, SCHEMA);
        List<MeteringLabel> found = labels.list(requests.caller(ctx), request.query());
        Responses.list(ctx, requests.baseUrl(ctx), SCHEMA, request, found, label -> label.id().toString());
    }

    void delete(Context ctx) {
        labels.delete(requests.caller(ctx), ctx.pathParam("id"));
        Responses.noContent(ctx);
    }

    /** Labels are immutable in Neutron 21: every attribute is read-only. */
    void update(Context ctx) {
        requests.caller(ctx);
        Attributes.refuseUpdate(ResourceBody.forUpdate(requests.body(ctx), SCHEMA.singular()), SCHEMA, Set.of());
        throw new OperationNotSupportedException("Metering labels cannot be updated.");
    }

    private static NewLabel newLabel(ObjectNode item, RequestContext caller) {
        Attributes attributes = Attributes.forPost(item, POST_ATTRIBUTES, Set.of("id"), List.of(), List.of("shared"));
        String name = attributes.string("name", MeteringLabel.MAX_NAME_LENGTH, "");
        String description = attributes.string("description", MeteringLabel.MAX_DESCRIPTION_LENGTH, "");
        String project = attributes.project(caller.projectId());
        return new NewLabel(new ProjectId(project), name, description, attributes.bool("shared", false));
    }

    private static SequencedMap<String, Function<MeteringLabel, Object>> attributes() {
        SequencedMap<String, Function<MeteringLabel, Object>> attributes = new LinkedHashMap<>();
        attributes.put("id", label -> label.id().toString());
        attributes.put("name", MeteringLabel::name);
        attributes.put("description", MeteringLabel::description);
        attributes.put("shared", MeteringLabel::shared);
        attributes.put("project_id", label -> label.projectId().value());
        attributes.put("tenant_id", label -> label.projectId().value());
        return attributes;
    }
}
