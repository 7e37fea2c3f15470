package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

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
     * Content-Length says (a chunked body has none). A key given twice keeps its last value, as Neutron's
     * JSON reader does.
     *
     * @throws RequestTooLargeException if the body is longer than {@code limit}
     * @throws InvalidRequestException if there is no body
     * @throws MalformedRequestBodyException if it is not JSON, or has anything after the value
     */
    static JsonNode read(Context ctx, long limit) {
        return parse(ctx, limit, false, MAPPER::readTree);
    }

    /** Reads a value from a parser positioned on its first token. */
    @FunctionalInterface
    interface ParserReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /**
     * Reads the request body with {@code reader}, streaming: a body of many megabytes never sits in memory
     * whole, as bytes or as a tree. Duplicate keys in an object are malformed, as is anything after the value.
     * What {@code reader} throws is answered once the rest of the body is read, so checks that need no body
     * (policy) belong before this call, not in the reader.
     *
     * @throws RequestTooLargeException if the body is longer than {@code limit}
     * @throws InvalidRequestException if there is no body
     * @throws MalformedRequestBodyException if it is not JSON
     */
    static <T> T stream(Context ctx, long limit, ParserReader<T> reader) {
        return parse(ctx, limit, true, reader);
    }

    private static <T> T parse(Context ctx, long limit, boolean strictKeys, ParserReader<T> reader) {
        try (InputStream in = ctx.req().getInputStream()) {
            if (ctx.req().getContentLengthLong() > limit) {
                throw tooLarge(ctx, in, limit);
            }
            BoundedInputStream body = new BoundedInputStream(in, limit);
            // JSON is UTF-8 (RFC 8259), decoded strictly: Jackson's own decoder repairs overlong forms
            // ("\xc0\xaf" would become "/"), and text repaired is not the text the client sent.
            Reader text = new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder());
            try (JsonParser parser = MAPPER.createParser(text)) {
                if (strictKeys) {
                    parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                }
                if (parser.nextToken() == null) {
                    throw new InvalidRequestException("Resource body required");
                }
                T value = reader.read(parser);
                if (parser.nextToken() != null) {
                    throw new MalformedRequestBodyException("Cannot understand JSON.");
                }
                return value;
            } catch (BoundedInputStream.LimitExceededException e) {
                throw tooLarge(ctx, in, limit);
            } catch (JsonProcessingException | CharacterCodingException e) {    // the latter: not UTF-8, as Neutron
                throw refusedPartWay(ctx, in, body, limit,
                        new MalformedRequestBodyException("Cannot understand JSON."));
            } catch (RuntimeException e) {      // a value the reader refused, maybe before the body's end
                throw refusedPartWay(ctx, in, body, limit, e);
            }
        } catch (IOException e) {
            // The client stopped sending: it went away, or sent less than its Content-Length said. Its doing, not
            // the server's; there may be no one left to read the answer.
            ctx.header("Connection", "close");
            throw new InvalidRequestException("The request body could not be read to its end.");
        }
    }

    /** An input stream that fails once more than {@code limit} bytes have been read from it. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int next = super.read();
            count(next < 0 ? -1 : 1);
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            count(read);
            return read;
        }

        private void count(int read) throws LimitExceededException {
            if (read > 0) {
                remaining -= read;
                if (remaining < 0) {
                    throw new LimitExceededException();
                }
            }
        }

        /** The body is longer than the limit. */
        static final class LimitExceededException extends IOException {
        }
    }

    /**
     * Reads and discards the rest of an oversized body (up to {@value #DRAIN_FACTOR} times the limit), so that
     * a client still sending it reads our 413 instead of a reset connection; the connection is closed after.
     */
    private static RequestTooLargeException tooLarge(Context ctx, InputStream in, long limit) {
        discardOversized(ctx, in, limit);
        return new RequestTooLargeException(limit);
    }

    /**
     * Reads and discards the rest of a body refused before its end, and returns {@code refusal}. A server that
     * answers and closes while the client is still sending makes the client's kernel see a reset, which can
     * discard the answer unread: the client gets no answer at all. Read whole, the body leaves the connection
     * open for the next request, too. A body that turns out to be over the limit is discarded as for a 413; one
     * whose client stops sending is left, and {@code refusal} still answered.
     */
    private static RuntimeException refusedPartWay(Context ctx, InputStream in, BoundedInputStream body, long limit,
                                                   RuntimeException refusal) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (BoundedInputStream.LimitExceededException e) {
            discardOversized(ctx, in, limit);
        } catch (IOException e) {
            ctx.header("Connection", "close");
        }
        return refusal;
    }

    private static void discardOversized(Context ctx, InputStream in, long limit) {
        ctx.header("Connection", "close");
        long budget = DRAIN_FACTOR * limit;
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read = 0; read >= 0 && budget > 0;
                 read = in.read(buffer, 0, (int) Math.min(buffer.length, budget))) {
                budget -= read;
            }
        } catch (IOException e) {
            // the client stopped sending: nothing left to discard
        }
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
