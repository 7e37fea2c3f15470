package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.server.ApiClient.Caller;
import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests a client should never send, answered as the client's error (4xx with a NeutronError body),
 * never as a 500, on every database: odd ids, oversized and deeply nested bodies, text no database can
 * store; and text every database must store exactly (characters outside the Basic Multilingual Plane).
 */
abstract class RequestValidationApiContract extends HttpContract {
    private static final String TOO_LARGE = "Request is too large: the limit is %d bytes."
            .formatted(RunningServer.MAX_BODY_BYTES);
    private static final String NOT_JSON = "Malformed request body: Cannot understand JSON.";
    private static final String NUL = "Invalid input for %s. Reason: it contains a NUL character.";
    private static final String SURROGATE = "Invalid input for %s. Reason: it contains an unpaired UTF-16 surrogate.";

    static Stream<String> oddIds() {
        return Stream.of("not-a-uuid", "6e11ae84-14c0-449e-ac0f-b75086142ec6x", "6E11AE84-14C0-449E-AC0F-B7508614",
                "00000000-0000-0000-0000-00000000000g", "' OR ''='", "a".repeat(300), "\u2603");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddIds")
    void an_id_that_is_not_a_uuid_is_not_found(String id) {
        String path = "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        String label = "Metering label '%s' does not exist.".formatted(id);
        String rule = "Metering label rule '%s' does not exist.".formatted(id);

        assertNeutronError(api.get(LABELS + path, Caller.ADMIN), 404, "MeteringLabelNotFound", label);
        assertNeutronError(api.delete(LABELS + path, Caller.ADMIN), 404, "MeteringLabelNotFound", label);
        assertNeutronError(api.get(RULES + path, Caller.ADMIN), 404, "MeteringLabelRuleNotFound", rule);
        assertNeutronError(api.delete(RULES + path, Caller.ADMIN), 404, "MeteringLabelRuleNotFound", rule);
    }

    @Test
    void a_rule_of_a_label_id_that_is_not_a_uuid_is_a_bad_request() {
        assertNeutronError(api.post(RULES, Caller.ADMIN, body("metering_label_rule", "metering_label_id",
                        "' OR ''='", "direction", "ingress", "remote_ip_prefix", "10.0.0.0/24")),
                400, "HTTPBadRequest", "Invalid input for metering_label_id. Reason: '' OR ''='' is not a valid UUID.");
    }

    static Stream<Arguments> bodySizes() {
        return Stream.of(
                Arguments.of("with Content-Length", RunningServer.MAX_BODY_BYTES + 1, false, 413),
                Arguments.of("chunked", RunningServer.MAX_BODY_BYTES + 1, true, 413),
                Arguments.of("of 8 MiB, chunked", 8 * RunningServer.MAX_BODY_BYTES, true, 413),
                Arguments.of("at the limit, with Content-Length", RunningServer.MAX_BODY_BYTES, false, 201),
                Arguments.of("at the limit, chunked", RunningServer.MAX_BODY_BYTES, true, 201));
    }

    @ParameterizedTest(name = "a body of {1} bytes {0} gets {3}")
    @MethodSource("bodySizes")
    void a_body_over_one_mebibyte_is_refused_whether_its_length_is_declared_or_not(
            String how, int size, boolean chunked, int status) {
        String name = "sized " + newProject();
        byte[] body = padded(body("metering_label", "name", name), size);
        BodyPublisher publisher = chunked
                ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : BodyPublishers.ofByteArray(body);

        ApiClient.Response response = api.post(LABELS, Caller.ADMIN, publisher);

        if (status == 413) {
            assertNeutronError(response, 413, "HTTPRequestEntityTooLarge", TOO_LARGE);
        } else {
            assertThat(response.status()).as("%s", response).isEqualTo(201);
        }
        assertThat(labelsNamed(name)).hasSize(status == 201 ? 1 : 0);
    }

    /**
     * A body refused at its first bytes is still read to its end before the answer. A server that answered and
     * closed while the client was still sending would make the client's kernel see a reset, which can discard
     * the answer unread; read whole, the body also leaves the connection open for the next request.
     */
    @Test
    void a_body_refused_at_its_start_is_read_whole_and_the_connection_serves_the_next_request() throws Exception {
        byte[] body = padded("{\"metering_label\": [}", 64 * 1024);
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(requestHead("POST", body.length));
            out.write(body, 0, 1024);
            out.flush();
            Thread.sleep(300);      // the malformed start has arrived; the rest comes later
            out.write(body, 1024, body.length - 1024);
            out.flush();

            assertThat(readResponse(in)).startsWith("HTTP/1.1 400 ").contains("MalformedRequestBody");
            out.write(requestHead("GET", 0));
            out.flush();
            assertThat(readResponse(in)).as("the next request on the connection").startsWith("HTTP/1.1 200 ");
        }
    }

    /** A client that stops sending before its Content-Length is a bad request, not a server error. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"malformed before it stops,'{\"metering_label\": [}'",
            "well-formed until it stops,'{\"metering_label\": {\"name\": '"})
    void a_body_shorter_than_its_content_length_is_a_bad_request(String what, String start) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead("POST", 100_000));
            out.write(start.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();      // and no more

            assertThat(readResponse(new BufferedInputStream(socket.getInputStream()))).startsWith("HTTP/1.1 400 ");
        }
    }

    private static byte[] requestHead(String method, int contentLength) {
        StringBuilder head = new StringBuilder(method + " " + LABELS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        Caller.ADMIN.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (contentLength > 0) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(contentLength).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One response from {@code in}: its head and its body (which has a Content-Length), as text. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed after: " + head);
            }
            head.append((char) next);
        }
        Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        assertThat(length.find()).as("a Content-Length in %s", head).isTrue();
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }

    /** {@code json} followed by spaces (still one JSON document) up to {@code size} bytes. */
    private static byte[] padded(String json, int size) {
        byte[] body = Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), size);
        Arrays.fill(body, json.getBytes(StandardCharsets.UTF_8).length, size, (byte) ' ');
        return body;
    }

    static Stream<Arguments> deeplyNested() {
        return Stream.of(
                Arguments.of("100,000 open brackets", "[".repeat(100_000)),
                Arguments.of("arrays 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000)),
                Arguments.of("objects 10,000 deep in a label",
                        "{\"metering_label\": " + "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_001)),
                Arguments.of("a name nested 1,000 arrays deep",
                        "{\"metering_label\": {\"name\": " + "[".repeat(1_000) + "]".repeat(1_000) + "}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deeplyNested")
    void deeply_nested_json_is_a_bad_request_not_a_server_error(String what, String json) {
        assertNeutronError(api.post(LABELS, Caller.ADMIN, json), 400, "MalformedRequestBody", NOT_JSON);
    }

    @Test
    void anything_after_the_body_is_malformed_as_in_neutron_and_a_key_given_twice_keeps_its_last_value() {
        assertNeutronError(api.post(LABELS, Caller.ADMIN, "{\"metering_label\": {\"name\": \"a\"}} {}"), 400,
                "MalformedRequestBody", NOT_JSON);

        ApiClient.Response twice = api.post(LABELS, Caller.ADMIN,
                "{\"metering_label\": {\"name\": \"first\", \"name\": \"last\"}}");

        assertThat(twice.status()).as("%s", twice).isEqualTo(201);
        assertThat(twice.json().path("metering_label").path("name").asText()).isEqualTo("last");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"name", "description", "tenant_id", "project_id"})
    void text_with_a_nul_character_is_refused(String attribute) {
        String name = "nul " + newProject();
        String json = attribute.equals("name") ? body("metering_label", "name", name + "\u0000")
                : body("metering_label", "name", name, attribute, "a\u0000b");

        assertNeutronError(api.post(LABELS, Caller.ADMIN, json), 400, "HTTPBadRequest", NUL.formatted(attribute));
        assertThat(labelsNamed(name)).isEmpty();
    }

    @Test
    void a_filter_value_with_a_nul_character_is_refused() {
        assertNeutronError(api.get(LABELS + "?name=a%00b", Caller.ADMIN), 400, "HTTPBadRequest", NUL.formatted("name"));
        assertNeutronError(api.get(RULES + "?remote_ip_prefix=%00", Caller.ADMIN), 400, "HTTPBadRequest",
                NUL.formatted("remote_ip_prefix"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\ud800", "x\\udc00", "\\ude00\\ud83d", "\\ud83d\\ud83d\\ude00x\\ud800"})
    void a_lone_surrogate_escaped_in_json_is_refused(String escaped) {
        String json = "{\"metering_label\": {\"name\": \"%s\", \"description\": \"ok\"}}".formatted(escaped);

        assertNeutronError(api.post(LABELS, Caller.ADMIN, json), 400, "HTTPBadRequest", SURROGATE.formatted("name"));
    }

    @Test
    void bytes_that_are_not_utf8_are_a_bad_request() {
        for (byte[] text : new byte[][] {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xC3}}) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            json.writeBytes("{\"metering_label\": {\"name\": \"".getBytes(StandardCharsets.UTF_8));
            json.writeBytes(text);
            json.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));

            ApiClient.Response response = api.post(LABELS, Caller.ADMIN,
                    BodyPublishers.ofByteArray(json.toByteArray()));

            assertThat(response.status()).as("%s", response).isEqualTo(400);
            assertThat(response.errorType()).isIn("MalformedRequestBody", "HTTPBadRequest");
        }
    }

    @Test
    void a_name_of_255_characters_outside_the_bmp_is_stored_and_read_back_identically() {
        String name = astral(255);
        String description = astral(1024);

        ApiClient.Response created = api.post(LABELS, Caller.ADMIN,
                body("metering_label", "name", name, "description", description));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode label = created.json().path("metering_label");
        assertThat(label.path("name").asText()).isEqualTo(name);
        JsonNode shown = api.get(LABELS + "/" + label.path("id").asText(), Caller.ADMIN).json().path("metering_label");
        assertThat(shown).isEqualTo(label);
        assertThat(labelsNamed(name)).containsExactly(label);
    }

    @Test
    void a_project_id_of_255_characters_outside_the_bmp_is_stored_and_read_back_identically() {
        String project = astral(255);

        ApiClient.Response created = api.post(LABELS, Caller.ADMIN,
                body("metering_label", "name", "astral project", "tenant_id", project));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode label = created.json().path("metering_label");
        assertThat(label.path("project_id").asText()).isEqualTo(project);
        assertThat(items(api.get(LABELS + "?project_id=" + URLEncoder.encode(project, StandardCharsets.UTF_8),
                Caller.ADMIN), "metering_labels")).containsExactly(label);
    }

    @Test
    void a_name_of_256_characters_outside_the_bmp_is_too_long() {
        String name = astral(256);

        assertNeutronError(api.post(LABELS, Caller.ADMIN, body("metering_label", "name", name)), 400,
                "HTTPBadRequest",
                "Invalid input for name. Reason: '%s' exceeds maximum length of 255.".formatted(name));
    }

    /** {@code count} code points, each two UTF-16 units and four UTF-8 bytes: emoji and a CJK extension B ideograph. */
    private static String astral(int count) {
        int[] codePoints = {0x1F600, 0x1F680, 0x1F9D1, 0x20000, 0x1F44D, 0x10FFFD};
        return IntStream.range(0, count).map(i -> codePoints[i % codePoints.length])
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private List<JsonNode> labelsNamed(String name) {
        return items(api.get(LABELS + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), Caller.ADMIN),
                "metering_labels");
    }
}
