package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/** Writes resources, collections and Neutron's pagination links. Thread-safe (stateless). */
final class Responses {
    private Responses() {
    }

    /** One resource: {@code {"metering_label": {...}}}. */
    static <T> void one(Context ctx, int status, ResourceSchema<?, T> schema, T value, List<String> fields) {
        Json.respond(ctx, status, json -> {
            json.writeStartObject();
            json.writeFieldName(schema.singular());
            schema.write(json, value, fields);
            json.writeEndObject();
        });
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
            Json.respond(ctx, 201, json -> {
                json.writeStartObject();
                writeArray(json, schema, values, List.of());
                json.writeEndObject();
            });
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
        Json.respond(ctx, 200, json -> {
            json.writeStartObject();
            writeArray(json, schema, values, request.fields());
            if (request.limit().isPresent()) {
                writeLinks(json, ctx, baseUrl + schema.path() + "?", schema.plural(), request, values, id,
                        request.limit().get());
            }
            json.writeEndObject();
        });
    }

    private static <T> void writeArray(JsonGenerator json, ResourceSchema<?, T> schema, List<T> values,
                                       List<String> fields) throws IOException {
        json.writeArrayFieldStart(schema.plural());
        for (T value : values) {
            schema.write(json, value, fields);
        }
        json.writeEndArray();
    }

    private static <T> void writeLinks(JsonGenerator json, Context ctx, String self, String plural,
                                       ListRequest<?> request, List<T> values, Function<T, String> id, int limit)
            throws IOException {
        QueryParameters parameters = QueryParameters.parse(ctx.queryString());
        boolean shortPage = values.size() < limit;
        json.writeArrayFieldStart(plural + "_links");
        if (!(shortPage && !request.pageReverse())) {
            QueryParameters next = parameters.without("marker").without("page_reverse");
            if (!values.isEmpty()) {
                next = next.with("marker", id.apply(values.getLast()));
            }
            writeLink(json, "next", self + next.encode());
        }
        if (!(shortPage && request.pageReverse())) {
            QueryParameters previous = parameters.without("marker").without("page_reverse");
            if (!values.isEmpty()) {
                previous = previous.with("marker", id.apply(values.getFirst()));
            }
            writeLink(json, "previous", self + previous.with("page_reverse", "True").encode());
        }
        json.writeEndArray();
    }

    private static void writeLink(JsonGenerator json, String rel, String href) throws IOException {
        json.writeStartObject();
        json.writeStringField("rel", rel);
        json.writeStringField("href", href);
        json.writeEndObject();
    }
}
