package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.server.NeutronTranscript.Exchange;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays Neutron 21's own answers (cases 1–102 of neutron21/neutron-metering-api.md; 103–105 are routers,
 * which netmeter does not serve) in order against one fresh server, and compares status, Content-Type and
 * the body parsed as JSON.
 *
 * <p>Ids differ from the recording: each create teaches the map reference id → our id (matched by position
 * in the body), reference ids in the request are replaced by ours, and ours in the response by the reference
 * ids before comparing. The recording's host in links is replaced by ours. Where we differ from Neutron on
 * purpose, {@link TranscriptDivergences} says what we answer instead, and why; no case is skipped.
 */
abstract class NeutronTranscriptContract extends HttpContract {
    private static final NeutronTranscript TRANSCRIPT = NeutronTranscript.load("/neutron21/neutron-metering-api.md");
    /** Cases after this one create and delete routers. */
    static final int LAST_METERING_CASE = 102;

    private final Map<String, String> ourIds = new HashMap<>();
    private final Map<String, String> referenceIds = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> answers_each_recorded_neutron_request_as_neutron_21_did() {
        return TRANSCRIPT.exchanges().stream()
                .filter(exchange -> exchange.number() <= LAST_METERING_CASE)
                .map(exchange -> dynamicTest(exchange.toString(), () -> replay(exchange)));
    }

    private void replay(Exchange exchange) {
        NeutronTranscript.Request request = exchange.request();
        String body = translate(request.body(), ourIds);
        ApiClient.Response ours = api.send(request.method(), translate(request.target(), ourIds), request.headers(),
                body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        JsonNode reference = json(exchange.response().body());
        if (exchange.response().status() == 201 && ours.status() == 201) {
            learnIds(reference, ours.json());
        }
        JsonNode ourBody = json(translate(ours.body(), referenceIds));
        Expected expected = TranscriptDivergences.of(exchange.number())
                .map(divergence -> divergence.expected().apply(exchange))
                .orElseGet(() -> Expected.body(exchange.response().status(), reference));

        assertThat(ours.status()).as("status of case %s; we answered %s", exchange, ours).isEqualTo(expected.status());
        assertThat(ours.contentType()).as("Content-Type of case %s", exchange)
                .isEqualTo(exchange.response().header("Content-Type"));
        if (expected.body().isPresent()) {
            assertThat(ourBody).as("body of case %s", exchange).isEqualTo(withOurHost(expected.body().get()));
        } else {
            expected.check().accept(ourBody);
        }
    }

    /** Pairs the ids of a create's answers, position by position (one resource, or each of a bulk). */
    private void learnIds(JsonNode reference, JsonNode ours) {
        if (reference.isObject() && ours.isObject()) {
            JsonNode referenceId = reference.get("id");
            JsonNode ourId = ours.get("id");
            if (referenceId != null && referenceId.isTextual() && ourId != null && ourId.isTextual()) {
                ourIds.put(referenceId.textValue(), ourId.textValue());
                referenceIds.put(ourId.textValue(), referenceId.textValue());
            }
            for (Map.Entry<String, JsonNode> field : reference.properties()) {
                if (ours.has(field.getKey())) {
                    learnIds(field.getValue(), ours.get(field.getKey()));
                }
            }
        } else if (reference.isArray() && ours.isArray()) {
            for (int i = 0; i < Math.min(reference.size(), ours.size()); i++) {
                learnIds(reference.get(i), ours.get(i));
            }
        }
    }

    private static String translate(String text, Map<String, String> ids) {
        String translated = text;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            translated = translated.replace(id.getKey(), id.getValue());
        }
        return translated;
    }

    private JsonNode withOurHost(JsonNode expected) {
        return json(expected.toString().replace(NeutronTranscript.REFERENCE_HOST, api.baseUrl()));
    }

    static JsonNode json(String text) {
        if (text.isEmpty()) {
            return MissingNode.getInstance();
        }
        try {
            return ApiClient.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /**
     * What we answer to one case: a status and either a whole body (in the recording's ids and host) or, where
     * the body cannot be predicted whole, a check of it.
     */
    record Expected(int status, Optional<JsonNode> body, Consumer<JsonNode> check) {
        static Expected body(int status, JsonNode body) {
            return new Expected(status, Optional.of(body), ignored -> { });
        }

        static Expected checked(int status, Consumer<JsonNode> check) {
            return new Expected(status, Optional.empty(), check);
        }
    }

    /** A deliberate difference from Neutron 21: what we answer instead, and why. */
    record Divergence(String reason, Function<Exchange, Expected> expected) {
    }

    /** A NeutronError body. */
    static ObjectNode neutronError(String type, String message) {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.putObject("NeutronError").put("type", type).put("message", message).put("detail", "");
        return body;
    }

    /** The last segment of {@code path}, e.g. the id of {@code /v2.0/metering/metering-labels/<id>}. */
    static String lastSegment(String path) {
        List<String> segments = List.of(path.split("/"));
        return segments.getLast();
    }
}
