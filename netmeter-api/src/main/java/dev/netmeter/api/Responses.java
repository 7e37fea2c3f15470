package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;

/** Writes resources, collections and Neutron's pagination links. Thread-safe (stateless). */
final class Responses {
    private Responses() {
    }

    /** One resource: {@code {"metering_label": {...}}}. */
    static <T> void one(Context ctx, int status, ResourceSchema<?, T> schema, T value, List<String> fields) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set(schema.singular(), schema.render(value, fields));
        Json.respond(ctx, status, body);
    }

    /**
     * 204 No Content. Without a body there is no Content-Type either (Neutron sends none); Javalin would
     * otherwise send its default, text/plain.
     */
    static void noContent(Context ctx) {
        ctx.status(204);
        ctx.res().setContentType(null);
    }

    /** The result of a create: one resource, or a collection for a bulk body. */
    static <T> void created(Context ctx, ResourceSchema<?, T> schema, List<T> values, boolean bulk) {
        if (bulk) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode items = body.putArray(schema.plural());
            values.forEach(value -> items.add(schema.render(value, List.of())));
            Json.respond(ctx, 201, body);
        } else {
            one(ctx, 201, schema, values.getFirst(), List.of());
        }
    }

    /**
     * A collection, with {@code <plural>_links} when the request asked for a page; the links are built
     * as Neutron's {@code api_common.get_pagination_links} builds them.
     */
    static <T> void list(Context ctx, String baseUrl, ResourceSchema<?, T> schema, ListRequest<?> request,
                         List<T> values, Function<T, String> id) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode items = body.putArray(schema.plural());
        values.forEach(value -> items.add(schema.render(value, request.fields())));
        request.limit().ifPresent(limit -> {
            QueryParameters parameters = QueryParameters.parse(ctx.queryString());
            String self = baseUrl + schema.path() + "?";
            ArrayNode links = JsonNodeFactory.instance.arrayNode();
            boolean shortPage = values.size() < limit;
            if (!(shortPage && !request.pageReverse())) {
                QueryParameters next = parameters.without("marker").without("page_reverse");
                if (!values.isEmpty()) {
                    next = next.with("marker", id.apply(values.getLast()));
                }
                links.add(link("next", self + next.encode()));
            }
            if (!(shortPage && request.pageReverse())) {
                QueryParameters previous = parameters.without("marker").without("page_reverse");
                if (!values.isEmpty()) {
                    previous = previous.with("marker", id.apply(values.getFirst()));
                }
                links.add(link("previous", self + previous.with("page_reverse", "True").encode()));
            }
            body.set(schema.plural() + "_links", links);
        });
        Json.respond(ctx, 200, body);
    }

    private static ObjectNode link(String rel, String href) {
        return JsonNodeFactory.instance.objectNode().put("rel", rel).put("href", href);
    }
}
