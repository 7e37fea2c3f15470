package dev.netmeter.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.query.Field;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;

/** What every handler reads from a request: the caller, the body, and list parameters. Thread-safe. */
final class Requests {
    private static final String CALLER = "netmeter.caller";
    /**
     * The headers that say who calls, for every authentication strategy. Each may be given once: with two
     * {@code X-Auth-Token}s (an admin's, then another) one would silently win, and which one is a guess that a
     * proxy in front and this server may make differently.
     */
    private static final List<String> IDENTITY_HEADERS = List.of("X-Auth-Token", "Authorization", "X-Project-Id",
            "X-Tenant-Id", "X-User-Id", "X-Roles");

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
            requireOneIdentity(ctx);
            caller = authenticator.authenticate(ctx);
            ctx.attribute(CALLER, caller);
        }
        return caller;
    }

    private static void requireOneIdentity(Context ctx) {
        for (String header : IDENTITY_HEADERS) {
            Enumeration<String> values = ctx.req().getHeaders(header);
            if (values != null && values.hasMoreElements()) {
                values.nextElement();
                if (values.hasMoreElements()) {
                    throw new InvalidRequestException(
                            "The %s header is given more than once: a request carries one identity".formatted(header));
                }
            }
        }
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
