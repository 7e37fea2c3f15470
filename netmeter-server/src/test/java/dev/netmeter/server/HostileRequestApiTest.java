package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per class of hostile request of issue 13, each fixed where it arises. */
class HostileRequestApiTest extends HttpContract {
    private static final String ADMIN = "X-Project-Id: " + Caller.ADMIN.project() + "\r\nX-Roles: admin\r\n";

    @Override
    Backend backend() {
        return Backend.H2;
    }

    @Test
    void a_method_override_is_refused_and_a_get_never_deletes() throws IOException {
        String label = createLabel(newProject(), "kept");

        String answer = raw("GET " + LABELS + "/" + label + " HTTP/1.1\r\nHost: h\r\n" + ADMIN
                + "X-HTTP-Method-Override: DELETE\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("X-HTTP-Method-Override header is not supported");
        assertThat(api.get(LABELS + "/" + label, Caller.ADMIN).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET " + LABELS + "/%u0041", "DELETE " + RULES + "/%u0041",
            "PUT /v2.0/metering/routers/%ff",
            "DELETE " + LABELS + "/%ff", "DELETE " + LABELS + "/%C0%AF", "GET /v2.0/extensions/%u0041"})
    void an_id_that_is_not_percent_encoded_utf8_is_a_bad_request_in_neutron_format(String request) throws IOException {
        assertCleanError(raw(request + " HTTP/1.1\r\nHost: h\r\n" + ADMIN + "Content-Length: 0\r\n"
                + "Connection: close\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.2\r\nHost: h\r\n\r\n", "GET / HTTP/9.9\r\nHost: h\r\n\r\n", "GET /\r\n\r\n"})
    void an_http_version_jetty_does_not_speak_is_a_bad_request_not_a_server_error(String request) throws IOException {
        String answer = raw(request);
        assertCleanError(answer, 400);
        assertThat(answer).contains("The HTTP version is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"})
    void answers_jetty_gives_itself_carry_the_error_body_request_id_and_security_headers(String request)
            throws IOException {
        String answer = raw(request);
        assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d .*");
        assertCleanError(answer, Integer.parseInt(answer.substring(9, 12)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "description", "tenant_id", "project_id"})
    void overlong_utf8_in_a_body_is_refused_not_repaired(String attribute) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.writeBytes(("{\"metering_label\": {\"" + attribute + "\": \"").getBytes(StandardCharsets.UTF_8));
        json.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
        json.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));

        ApiClient.Response response = api.post(LABELS, Caller.ADMIN, BodyPublishers.ofByteArray(json.toByteArray()));

        assertNeutronError(response, 400, "MalformedRequestBody", "Malformed request body: Cannot understand JSON.");
        assertThat(items(api.get(LABELS + "?project_id=/", Caller.ADMIN), "metering_labels")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tenant_id", "project_id"})
    void a_project_id_null_is_a_bad_request_not_the_callers_project(String attribute) {
        assertNeutronError(api.post(LABELS, Caller.ADMIN, "{\"metering_label\": {\"name\": \"n\", \"" + attribute
                + "\": null}}"), 400, "HTTPBadRequest",
                "Invalid input for %s. Reason: 'None' is not a valid string.".formatted(attribute));
        assertThat(api.post("/v2.0/metering/routers", Caller.ADMIN, "{\"router\": {\"host\": \"h\", "
                + "\"external_interface\": \"qg-1\", \"" + attribute + "\": null}}").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Auth-Token: a\r\nX-Auth-Token: b", "Authorization: Bearer a\r\nAuthorization: Bearer b",
            "X-Project-Id: other", "X-Roles: reader"})
    void an_identity_header_given_twice_is_a_bad_request(String twice) throws IOException {
        String answer = raw("GET " + LABELS + " HTTP/1.1\r\nHost: h\r\n" + ADMIN + twice
                + "\r\nConnection: close\r\n\r\n");
        assertCleanError(answer, 400);
        assertThat(answer).contains("given more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%D9%A2", "%EF%BC%92", "+2", "%E0%A5%A8"})
    void query_numbers_are_ascii_digits_only(String two) {
        assertThat(api.get(LABELS + "?limit=" + two, Caller.ADMIN).status()).isEqualTo(400);
        assertThat(api.get("/v2.0/metering/sync?host=h&timeout=" + two, Caller.ADMIN).status()).isEqualTo(400);
        assertThat(api.get("/v2.0/metering/usage?step=" + two, Caller.ADMIN).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip",
            "Transfer-Encoding: chunked\r\nContent-Encoding: gzip"})
    void a_transfer_or_content_coding_other_than_chunked_is_refused(String framing) throws IOException {
        String name = "framed " + newProject();
        String body = "{\"metering_label\": {\"name\": \"" + name + "\"}}";
        String answer = raw("POST " + LABELS + " HTTP/1.1\r\nHost: h\r\n" + ADMIN + framing + "\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
        assertCleanError(answer, 400);
        assertThat(answer).containsIgnoringCase("connection: close");
        assertThat(items(api.get(LABELS, Caller.ADMIN), "metering_labels")).noneMatch(
                label -> label.path("name").asText().equals(name));
    }

    @Test
    void sync_since_the_largest_revision_is_the_full_data_and_a_huge_value_is_not_echoed_whole() {
        assertThat(api.get("/v2.0/metering/sync?host=h&since=9223372036854775807", Caller.ADMIN).status())
                .isEqualTo(200);
        ApiClient.Response huge = api.post(LABELS, Caller.ADMIN, body("metering_label", "name", "n".repeat(100_000)));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body().length()).isLessThan(3000);
        assertThat(huge.errorMessage()).endsWith("… (cut)");
    }

    @Test
    void head_answers_what_get_answers_without_a_body() throws IOException {
        String other = createLabel(newProject(), "other's");
        for (String path : new String[] {LABELS + "/00000000-0000-0000-0000-000000000000", LABELS + "/" + other}) {
            String answer = raw("HEAD " + path + " HTTP/1.1\r\nHost: h\r\nX-Project-Id: " + newProject()
                    + "\r\nX-Roles: member\r\nConnection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 404 ").containsIgnoringCase("x-openstack-request-id: req-")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    void an_empty_prefix_beside_a_real_one_is_no_prefix_as_in_neutron() {
        String label = createLabel(newProject(), "empty prefix");
        ApiClient.Response created = api.post(RULES, Caller.ADMIN, body("metering_label_rule", "metering_label_id",
                label, "direction", "ingress", "source_ip_prefix", "", "destination_ip_prefix", "10.20.0.0/16"));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("metering_label_rule").path("source_ip_prefix").isNull()).isTrue();
        assertThat(api.post(RULES, Caller.ADMIN, body("metering_label_rule", "metering_label_id", label,
                "direction", "ingress", "remote_ip_prefix", "")).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"direction", "excluded", "remote_ip_prefix", "metering_label_id"})
    void updating_a_read_only_rule_attribute_is_neutrons_400(String attribute) {
        String rule = createRule(createLabel(newProject(), "ro"), "ingress", "10.30.0.0/16");
        assertNeutronError(api.put(RULES + "/" + rule, Caller.ADMIN, "{\"metering_label_rule\": {\"" + attribute
                + "\": \"x\"}}"), 400, "HTTPBadRequest", "Cannot update read-only attribute " + attribute);
        // the prefixes of metering_source_and_destination_fields pass Neutron's API layer: its plugin answers 501
        assertThat(api.put(RULES + "/" + rule, Caller.ADMIN, "{\"metering_label_rule\": {}}").status()).isEqualTo(501);
        assertThat(api.put(RULES + "/" + rule, Caller.ADMIN,
                "{\"metering_label_rule\": {\"source_ip_prefix\": \"10.10.0.0/24\"}}").status()).isEqualTo(501);
    }

    /** A 4xx with a NeutronError body, the request id and every security header. */
    private static void assertCleanError(String answer, int status) {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ").containsIgnoringCase("content-type: application/json")
                .containsIgnoringCase("x-openstack-request-id: req-").contains("{\"NeutronError\":{\"type\":\"");
        ApiClient.SECURITY_HEADERS.forEach((name, value) ->
                assertThat(answer).containsIgnoringCase(name + ": " + value));
    }

    /** Sends {@code request} as it is on a connection of its own; the whole answer as text. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
