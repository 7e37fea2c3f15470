package dev.netmeter.server;

import static dev.netmeter.server.NeutronTranscriptContract.json;
import static dev.netmeter.server.NeutronTranscriptContract.lastSegment;
import static dev.netmeter.server.NeutronTranscriptContract.neutronError;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.server.NeutronTranscript.Exchange;
import dev.netmeter.server.NeutronTranscriptContract.Divergence;
import dev.netmeter.server.NeutronTranscriptContract.Expected;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every case of the Neutron 21 transcript where netmeter answers differently on purpose, with what it
 * answers and why (docs/compat.md tells users the same). A case missing here must match Neutron exactly.
 */
final class TranscriptDivergences {
    private static final String FIELDS = "Neutron 21 does not apply fields= to metering list calls (it answers "
            + "attributes that were not asked for); we apply it to a list as to a show";
    private static final String INVALID = "Neutron 21 answers 500 type 'Invalid' because Invalid is missing from "
            + "its FAULT_MAP (neutron/api/v2/base.py); a bad rule is the client's error: 400 InvalidInput";
    private static final String HIDDEN = "Neutron 21 answers 404 HTTPNotFound for %s, which tells the caller "
            + "that it exists; we answer as for any %s the caller cannot see, existing or not";

    private static final String OUR_RESOURCES = """
            {"resources": [
              {"name": "metering_label", "collection": "metering/metering-labels",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/metering-labels"}]},
              {"name": "metering_label_rule", "collection": "metering/metering-label-rules",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/metering-label-rules"}]},
              {"name": "router", "collection": "metering/routers",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/routers"}]},
              {"name": "usage_report", "collection": "metering/usage_reports",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/usage_reports"}]},
              {"name": "usage", "collection": "metering/usage",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/usage"}]},
              {"name": "billing_cycle", "collection": "metering/billing_cycles",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/billing_cycles"}]},
              {"name": "statement", "collection": "metering/statements",
               "links": [{"rel": "self", "href": "http://127.0.0.1:9696/v2.0/metering/statements"}]}]}
            """;

    private static final Map<Integer, Divergence> TABLE = Map.ofEntries(
            entry(2, new Divergence("Neutron lists its core resources (networks, subnets, ...); we list ours, "
                    + "with netmeter's additions (usage, billing cycles, statements)",
                    exchange -> Expected.body(200, json(OUR_RESOURCES)))),
            entry(3, new Divergence("Neutron lists all the extensions it loads; we list those we implement, "
                    + "each exactly as Neutron describes it", TranscriptDivergences::ourExtensions)),
            entry(17, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(21, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(49, new Divergence(HIDDEN.formatted("another project's shared label", "label"),
                    exchange -> notFound("MeteringLabelNotFound", "Metering label '%s' does not exist.", exchange))),
            entry(62, new Divergence(INVALID, exchange -> invalidInput("Cannot use 'remote-ip-prefix' in "
                    + "conjunction with 'source-ip-prefix' or 'destination-ip-prefix'."))),
            entry(63, new Divergence(INVALID, exchange -> invalidInput("You must define at least one of the "
                    + "following parameters 'remote_ip_prefix', or 'source_ip_prefix' or 'destination_ip_prefix'."))),
            entry(64, new Divergence(INVALID, exchange -> invalidInputNaming("remote_ip_prefix", "10.0.0.0/33"))),
            entry(65, new Divergence(INVALID, exchange -> invalidInputNaming("remote_ip_prefix", "not-a-cidr"))),
            entry(68, new Divergence(INVALID, exchange -> invalidInputNaming("source_ip_prefix", "not-a-cidr"))),
            entry(86, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(87, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(89, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(91, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(92, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(93, new Divergence(FIELDS, TranscriptDivergences::projected)),
            entry(94, new Divergence("Neutron 21 answers 501 with a body keyed 'NotImplementedError'; every "
                    + "error body of ours is a NeutronError", exchange -> Expected.body(501,
                    neutronError("NotImplementedError",
                            "Metering label rules cannot be updated; delete the rule and create a new one.")))),
            entry(97, new Divergence(HIDDEN.formatted("a rule of another project's label", "rule"),
                    exchange -> notFound("MeteringLabelRuleNotFound", "Metering label rule '%s' does not exist.",
                            exchange))));

    private TranscriptDivergences() {
    }

    /** How and why we answer case {@code number} differently from Neutron 21, if we do. */
    static Optional<Divergence> of(int number) {
        return Optional.ofNullable(TABLE.get(number));
    }

    static Map<Integer, Divergence> all() {
        return TABLE;
    }

    /** Neutron's list body with each item reduced to the fields the request asked for. */
    private static Expected projected(Exchange exchange) {
        List<String> fields = queryValues(exchange.request().target(), "fields");
        ObjectNode body = (ObjectNode) json(exchange.response().body());
        body.properties().forEach(member -> {
            if (!member.getKey().endsWith("_links")) {
                member.getValue().forEach(item -> ((ObjectNode) item).retain(fields));
            }
        });
        return Expected.body(exchange.response().status(), body);
    }

    private static List<String> queryValues(String target, String name) {
        List<String> values = new ArrayList<>();
        int query = target.indexOf('?');
        for (String pair : query < 0 ? new String[0] : target.substring(query + 1).split("&")) {
            String[] parts = pair.split("=", 2);
            if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(name)) {
                values.add(URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Every extension we list is one of Neutron's, described identically; the metering ones are there. */
    private static Expected ourExtensions(Exchange exchange) {
        List<JsonNode> neutrons = new ArrayList<>();
        json(exchange.response().body()).path("extensions").forEach(neutrons::add);
        List<JsonNode> metering = neutrons.stream().filter(extension -> List.of("metering",
                "metering_source_and_destination_fields").contains(extension.path("alias").asText())).toList();
        return Expected.checked(200, ours -> {
            List<JsonNode> listed = new ArrayList<>();
            ours.path("extensions").forEach(listed::add);
            assertThat(metering).hasSize(2);
            assertThat(listed).containsAll(metering);
            assertThat(neutrons).containsAll(listed);
        });
    }

    /** 404 of {@code type}, whose message names the id at the end of the request's path. */
    private static Expected notFound(String type, String message, Exchange exchange) {
        return Expected.body(404, neutronError(type, message.formatted(lastSegment(exchange.request().path()))));
    }

    private static Expected invalidInput(String neutronMessage) {
        return Expected.body(400, neutronError("InvalidInput", "Invalid input for operation: " + neutronMessage));
    }

    /** 400 InvalidInput whose message names the attribute and the value (the reason is ours, not Neutron's). */
    private static Expected invalidInputNaming(String attribute, String value) {
        return Expected.checked(400, body -> {
            JsonNode error = body.path("NeutronError");
            assertThat(error.path("type").asText()).isEqualTo("InvalidInput");
            assertThat(error.path("message").asText()).startsWith("Invalid input for operation: ")
                    .contains(attribute, value);
            assertThat(error.path("detail").asText()).isEmpty();
        });
    }
}
