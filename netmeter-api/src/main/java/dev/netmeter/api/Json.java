package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.error.MalformedRequestBodyException;
import dev.netmeter.domain.error.RequestTooLargeException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reading request bodies and writing JSON responses. Thread-safe. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // A body is at most 1 MiB, but a deeply nested one could still exhaust the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private Json() {
    }

    /**
     * The request body as a JSON tree. The body is read up to {@code limit} bytes whatever the
     * Content-Length says (a chunked body has none).
     *
     * @throws RequestTooLargeException if the body is longer than {@code limit}
     * @throws InvalidRequestException if there is no body
     * @throws MalformedRequestBodyException if it is not JSON
     */
    static JsonNode read(Context ctx, long limit) {
        byte[] body = readBounded(ctx, limit);
        if (isBlank(body)) {
            throw new InvalidRequestException("Resource body required");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedRequestBodyException("Cannot understand JSON.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBounded(Context ctx, long limit) {
        if (ctx.req().getContentLengthLong() > limit) {
            throw new RequestTooLargeException(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw new RequestTooLargeException(limit);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code body} as the JSON response with {@code status}. */
    static void respond(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
