package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reading request bodies and writing JSON responses. Thread-safe. */
final class Json {
    static final String CONTENT_TYPE = "application/json";
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // A body is at most 1 MiB, but a deeply nested one could still exhaust the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** How much of an oversized body is read and discarded before the 413, as a multiple of the limit. */
    private static final long DRAIN_FACTOR = 16;

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
        try (InputStream in = ctx.req().getInputStream()) {
            if (ctx.req().getContentLengthLong() > limit) {
                throw tooLarge(ctx, in, limit);
            }
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw tooLarge(ctx, in, limit);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and discards the rest of an oversized body (up to {@value #DRAIN_FACTOR} times the limit), so that
     * a client still sending it reads our 413 instead of a reset connection; the connection is closed after.
     */
    private static RequestTooLargeException tooLarge(Context ctx, InputStream in, long limit) throws IOException {
        ctx.header("Connection", "close");
        long budget = DRAIN_FACTOR * limit;
        byte[] buffer = new byte[64 * 1024];
        for (int read = 0; read >= 0 && budget > 0; read = in.read(buffer, 0, (int) Math.min(buffer.length, budget))) {
            budget -= read;
        }
        return new RequestTooLargeException(limit);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Writes a JSON document to a generator. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Writes what {@code body} generates as the JSON response with {@code status}. The document is built in
     * memory first, so that the answer has a Content-Length and an error cannot strike half-way through it.
     */
    static void respond(Context ctx, int status, Writer body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(out.toByteArray());
    }

    /** Writes {@code body} as the JSON response with {@code status}. */
    static void respond(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }
}
