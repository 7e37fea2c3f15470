package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What every HTTP contract test shares: one server per test class (not per test), over a fresh database
 * of the backend the concrete subclass names, and a few ways to create what a test needs. Tests of one
 * class share the server, so each works in projects and labels of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpContract {
    private RunningServer server;
    ApiClient api;

    /** The database this subclass runs against. */
    abstract Backend backend();

    @BeforeAll
    final void start_the_server() {
        server = startServer();
        api = server.client();
    }

    /** Starts this class's server: as {@code netmeter server} starts, unless a subclass needs otherwise. */
    RunningServer startServer() {
        return RunningServer.start(backend());
    }

    @AfterAll
    final void stop_the_server() {
        if (server != null) {
            server.close();
        }
    }

    /** The server of this class, to start another one beside it. */
    RunningServer server() {
        return server;
    }

    /** A project no other test uses, spelled as Keystone spells ids. */
    static String newProject() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** {@code {"<root>": {attributes…}}} as JSON text; attributes keep their order. */
    static String body(String root, Object... namesAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json(Map.of(root, attributes));
    }

    static String json(Object value) {
        try {
            return ApiClient.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Creates a label of {@code project} as the admin; returns its id. */
    String createLabel(String project, String name) {
        ApiClient.Response created = api.post(LABELS, Caller.ADMIN,
                body("metering_label", "name", name, "tenant_id", project));
        assertThat(created.status()).as("creating label %s: %s", name, created).isEqualTo(201);
        return created.json().path("metering_label").path("id").asText();
    }

    /** Creates a rule with a remote prefix as the admin; returns its id. */
    String createRule(String label, String direction, String remoteIpPrefix) {
        return createRule(body("metering_label_rule", "metering_label_id", label, "direction", direction,
                "remote_ip_prefix", remoteIpPrefix));
    }

    /** Creates the rule in {@code json} as the admin; returns its id. */
    String createRule(String json) {
        ApiClient.Response created = api.post(RULES, Caller.ADMIN, json);
        assertThat(created.status()).as("creating rule %s: %s", json, created).isEqualTo(201);
        return created.json().path("metering_label_rule").path("id").asText();
    }

    /** The items of a list or bulk create answer, e.g. of {@code metering_labels}. */
    static List<JsonNode> items(ApiClient.Response list, String plural) {
        assertThat(list.status()).as("list: %s", list).isIn(200, 201);
        List<JsonNode> items = new ArrayList<>();
        list.json().path(plural).forEach(items::add);
        return items;
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.path("id").asText()).toList();
    }

    /** Asserts the status and the whole NeutronError body. */
    static void assertNeutronError(ApiClient.Response response, int status, String type, String message) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.errorType()).as("type of %s", response).isEqualTo(type);
        assertThat(response.errorMessage()).as("message of %s", response).isEqualTo(message);
        assertThat(response.json().path("NeutronError").path("detail").asText()).isEmpty();
    }
}
