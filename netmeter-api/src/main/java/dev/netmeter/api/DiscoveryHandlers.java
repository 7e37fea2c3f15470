package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.error.ResourceNotFoundException;
import io.javalin.http.Context;
import java.util.List;

/** Version discovery and the extension list, which clients read before they call the API. Thread-safe. */
final class DiscoveryHandlers {
    /** The extensions netmeter implements, described as Neutron 21 describes them. */
    private static final List<Extension> EXTENSIONS = List.of(
            new Extension("Neutron Metering", "metering", "Neutron Metering extension.", "2013-06-12T10:00:00-00:00"),
            new Extension("Neutron Metering with source and destination filtering",
                    "metering_source_and_destination_fields",
                    "Neutron Metering extension that enables the use of source and destination IP prefixes to "
                            + "create metering label rules.", "2020-08-21T08:12:00-00:00"),
            new Extension("Pagination support", "pagination", "Extension that indicates that pagination is enabled.",
                    "2016-06-12T00:00:00-00:00"),
            new Extension("Sorting support", "sorting", "Extension that indicates that sorting is enabled.",
                    "2016-06-12T00:00:00-00:00"),
            new Extension("project_id field enabled", "project-id",
                    "Extension that indicates that project_id field is enabled.", "2016-09-09T09:09:09-09:09"),
            new Extension("Filter parameters validation", "filter-validation",
                    "Provides validation on filter parameters.", "2018-07-04T10:00:00-00:00"),
            new Extension("Empty String Filtering Extension", "empty-string-filtering",
                    "Allow filtering by attributes with empty string value", "2018-05-01T10:00:00-00:00"));

    private final Requests requests;

    DiscoveryHandlers(Requests requests) {
        this.requests = requests;
    }

    /** {@code GET /}: the API versions; clients probe it without a token. */
    void versions(Context ctx) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode version = body.putArray("versions").addObject().put("id", "v2.0").put("status", "CURRENT");
        version.putArray("links").addObject().put("rel", "self").put("href", requests.baseUrl(ctx) + "/v2.0/");
        Json.respond(ctx, 200, body);
    }

    /** {@code GET /v2.0/}: the resources of this API. */
    void resources(Context ctx) {
        requests.caller(ctx);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode resources = body.putArray("resources");
        resource(ctx, resources, LabelHandlers.SCHEMA);
        resource(ctx, resources, RuleHandlers.SCHEMA);
        resource(ctx, resources, RouterHandlers.SCHEMA);
        // netmeter's additions (docs/api.md): usage, billing cycles (by project id), statements
        resource(ctx, resources, "usage_report", "/v2.0/metering/usage_reports");
        resource(ctx, resources, "usage", "/v2.0/metering/usage");
        resource(ctx, resources, "billing_cycle", "/v2.0/metering/billing_cycles");
        resource(ctx, resources, "statement", "/v2.0/metering/statements");
        Json.respond(ctx, 200, body);
    }

    private void resource(Context ctx, ArrayNode resources, ResourceSchema<?, ?> schema) {
        resource(ctx, resources, schema.singular(), schema.path());
    }

    private void resource(Context ctx, ArrayNode resources, String name, String path) {
        ObjectNode resource = resources.addObject().put("name", name).put("collection",
                path.substring("/v2.0/".length()));
        resource.putArray("links").addObject().put("rel", "self").put("href", requests.baseUrl(ctx) + path);
    }

    void extensions(Context ctx) {
        requests.caller(ctx);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode list = body.putArray("extensions");
        EXTENSIONS.forEach(extension -> list.add(extension.render()));
        Json.respond(ctx, 200, body);
    }

    void extension(Context ctx) {
        requests.caller(ctx);
        String alias = ctx.pathParam("alias");
        Extension extension = EXTENSIONS.stream().filter(candidate -> candidate.alias().equals(alias)).findFirst()
                .orElseThrow(() -> new ResourceNotFoundException(
                        "Extension with alias %s does not exist".formatted(alias)));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("extension", extension.render());
        Json.respond(ctx, 200, body);
    }

    private record Extension(String name, String alias, String description, String updated) {
        ObjectNode render() {
            ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", name).put("alias", alias)
                    .put("description", description).put("updated", updated);
            node.putArray("links");
            return node;
        }
    }
}
