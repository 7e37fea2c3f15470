package dev.netmeter.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.persistence.Field;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.LinkedHashSet;
import java.util.List;

/** What every handler reads from a request: the caller, the body, and list parameters. Thread-safe. */
final class Requests {
    private static final String CALLER = "netmeter.caller";

    private final Authenticator authenticator;
    private final ApiSettings settings;

    Requests(Authenticator authenticator, ApiSettings settings) {
        this.authenticator = authenticator;
        this.settings = settings;
    }

    /** Authenticates the request once and remembers the caller on it. */
    RequestContext caller(Context ctx) {
        RequestContext caller = ctx.attribute(CALLER);
        if (caller == null) {
            caller = authenticator.authenticate(ctx);
            ctx.attribute(CALLER, caller);
        }
        return caller;
    }

    /** The JSON body, bounded by the configured size. */
    JsonNode body(Context ctx) {
        return Json.read(ctx, settings.maxBodyBytes());
    }

    /** The configured bound of request bodies ({@code api.max_body_bytes}). */
    long maxBodyBytes() {
        return settings.maxBodyBytes();
    }

    /** The {@code fields} of a show request (other parameters are ignored, as in Neutron). */
    List<String> fields(Context ctx, ResourceSchema<?, ?> schema) {
        LinkedHashSet<String> fields = new LinkedHashSet<>();
        for (String field : QueryParameters.parse(ctx.queryString()).asMap().getOrDefault("fields", List.of())) {
            if (!field.isEmpty() && !schema.isVisible(field)) {
                throw new InvalidRequestException("['%s'] is invalid attribute for fields".formatted(field));
            }
            if (!field.isEmpty()) {
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }

    /** The parameters of a list request. */
    <F extends Enum<F> & Field> ListRequest<F> list(Context ctx, ResourceSchema<F, ?> schema) {
        return ListRequest.parse(QueryParameters.parse(ctx.queryString()).asMap(), schema,
                settings.paginationMaxLimit());
    }

    /** Where links point: the configured public URL, or this server as the client addressed it. */
    String baseUrl(Context ctx) {
        return settings.publicUrl().orElseGet(() -> ctx.scheme() + "://" + ctx.host());
    }
}
