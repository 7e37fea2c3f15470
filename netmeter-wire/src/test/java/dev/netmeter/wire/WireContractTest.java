package dev.netmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three documents as records: each reads back as written, and a required field that is missing, {@code null}
 * or of another JSON type is refused with an error naming it, never read as a default.
 */
class WireContractTest {
    private static final String ROUTER = "11111111-1111-1111-1111-111111111111";
    private static final String LABEL = "22222222-2222-2222-2222-222222222222";
    private static final String RULE = "33333333-3333-3333-3333-333333333333";

    /** Every field of the sync data, as the server writes it, but the routers' and labels' other attributes. */
    private static final String SYNC = """
            {"sync": {"host": "net-1", "revision": 42,
              "routers": [{"id": "%s", "namespace": "qrouter-x", "external_interface": "qg-x",
                           "_metering_labels": ["%s"]}],
              "metering_labels": [{"id": "%s", "project_id": "p1", "rules": [
                {"id": "%s", "metering_label_id": "%s", "direction": "egress", "excluded": true,
                 "remote_ip_prefix": "10.0.0.0/8", "source_ip_prefix": "2001:db8::/64",
                 "destination_ip_prefix": "10.1.0.0/16"}]}]}}""".formatted(ROUTER, LABEL, LABEL, RULE, LABEL);
    private static final String REPORT = """
            {"usage_report": {"id": "00000000-0000-0005-0000-000000000005", "host": "net-1",
              "window_start": "2026-11-23T20:00:00Z", "window_end": "2026-11-23T20:05:00Z",
              "usage": [{"router_id": "%s", "label_id": "%s", "project_id": "p1", "pkts": 3, "bytes": 300,
                         "time": 240, "first_update": 1795464030, "last_update": 1795464270,
                         "direction": "egress"}]}}"""
            .formatted(ROUTER, LABEL);
    private static final String LEDGER = """
            {"format": 1, "window_start": "2026-11-23T10:05:00Z", "projects": {"%s": "p1"},
             "tables": {"%s": "qrouter-1"},
             "totals": [{"router": "%s", "label": "%s", "project": "p1", "packets": 9, "bytes": 900,
                         "direction": "ingress"}],
             "window": [{"router": "%s", "label": "%s", "project": "p1", "packets": 2, "bytes": 200,
                         "first_update": "2026-11-23T10:05:30Z", "last_update": "2026-11-23T10:05:30Z",
                         "direction": "ingress"}],
             "unacknowledged": [{"id": "00000000-0000-0009-0000-000000000009",
               "window_start": "2026-11-23T10:00:00Z", "window_end": "2026-11-23T10:05:00Z",
               "usage": [{"router": "%s", "label": "%s", "project": "p1", "packets": 7, "bytes": 700,
                          "first_update": "2026-11-23T10:00:30Z", "last_update": "2026-11-23T10:00:30Z",
                          "direction": "egress"}]}]}"""
            .formatted(LABEL, ROUTER, ROUTER, LABEL, ROUTER, LABEL, ROUTER, LABEL);

    /**
     * The properties a document may lack, by the path of the object that holds them: each says why. A usage row's
     * and a ledger's {@code direction}: agents before issue 17 count one direction-less counter per label.
     */
    private static final Map<String, Set<String>> OPTIONAL = Map.of(
            "/sync", Set.of("host"),
            "/sync/metering_labels/0/rules/0", Set.of("source_ip_prefix", "destination_ip_prefix"),
            "/usage_report/usage/0", Set.of("time", "direction"),
            "", Set.of("tables"),
            "/totals/0", Set.of("direction"),
            "/window/0", Set.of("direction"),
            "/unacknowledged/0/usage/0", Set.of("direction"));
    /**
     * The properties that may be {@code null}: a rule's prefixes ({@code null} is "none"), optional ones (a rule's
     * direction is required: only the optional {@code direction}s of usage may be {@code null}).
     */
    private static final Set<String> NULLABLE = Set.of("remote_ip_prefix", "source_ip_prefix",
            "destination_ip_prefix", "host", "time", "tables");

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void a_document_reads_back_as_it_was_written(Class<? extends Record> type, String json) throws Exception {
        Record read = WireJson.MAPPER.readValue(json, type);

        String written = WireJson.MAPPER.writeValueAsString(read);

        assertThat(WireJson.MAPPER.readTree(written)).isEqualTo(WireJson.MAPPER.readTree(json));
        assertThat(WireJson.MAPPER.readValue(written, type)).isEqualTo(read);
    }

    @Test
    void a_routers_and_a_labels_other_attributes_are_carried_through() throws Exception {
        ObjectNode sync = (ObjectNode) WireJson.MAPPER.readTree(SYNC);
        ((ObjectNode) sync.at("/sync/routers/0")).put("name", "r1").put("admin_state_up", true).putNull("host");
        ((ObjectNode) sync.at("/sync/metering_labels/0")).put("shared", false).put("tenant_id", "p1");

        SyncDocument read = WireJson.MAPPER.treeToValue(sync, SyncDocument.class);

        Map<String, Object> routerAttributes = new java.util.HashMap<>();     // a null value, which Map.of refuses
        routerAttributes.put("name", "r1");
        routerAttributes.put("admin_state_up", true);
        routerAttributes.put("host", null);
        assertThat(read.sync().routers().getFirst().resource()).isEqualTo(routerAttributes);
        assertThat(read.sync().meteringLabels().getFirst().resource()).isEqualTo(Map.of("shared", false,
                "tenant_id", "p1"));
        assertThat(WireJson.MAPPER.readTree(WireJson.MAPPER.writeValueAsString(read))).isEqualTo(sync);
    }

    /** As the router endpoint writes a router (and the sync data did before the records), for people reading it. */
    @Test
    void a_router_is_written_in_its_endpoints_order() throws Exception {
        Map<String, Object> attributes = new java.util.LinkedHashMap<>();
        attributes.put("name", "r1");
        attributes.put("status", "ACTIVE");
        SyncRouter router = new SyncRouter(ROUTER, "qrouter-x", "qg-x", List.of(LABEL), attributes);

        JsonNode written = WireJson.MAPPER.readTree(WireJson.MAPPER.writeValueAsString(router));

        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "name", "status", "namespace",
                "external_interface", "_metering_labels");
    }

    @Test
    void a_rule_without_source_and_destination_prefixes_has_none() throws Exception {
        ObjectNode sync = (ObjectNode) WireJson.MAPPER.readTree(SYNC);
        ((ObjectNode) sync.at("/sync/metering_labels/0/rules/0")).remove(List.of("source_ip_prefix",
                "destination_ip_prefix"));

        SyncRule rule = WireJson.MAPPER.treeToValue(sync, SyncDocument.class).sync().meteringLabels().getFirst()
                .rules().getFirst();

        assertThat(rule.sourceIpPrefix()).isNull();
        assertThat(rule.destinationIpPrefix()).isNull();
    }

    @Test
    void the_names_the_server_checks_a_report_with_are_the_records() {
        assertThat(WireJson.requiredProperties(UsageReportDocument.Report.class))
                .containsExactly("id", "host", "window_start", "window_end", "usage");
        assertThat(WireJson.properties(UsageRow.class)).containsExactly("router_id", "label_id", "project_id",
                "pkts", "bytes", "time", "first_update", "last_update", "direction");
        assertThat(WireJson.requiredProperties(UsageRow.class)).containsExactly("router_id", "label_id",
                "project_id", "pkts", "bytes", "first_update", "last_update");
    }

    @Test
    void a_usage_row_without_a_direction_is_direction_less() throws Exception {
        ObjectNode report = (ObjectNode) WireJson.MAPPER.readTree(REPORT);
        ((ObjectNode) report.at("/usage_report/usage/0")).remove("direction");

        UsageRow row = WireJson.MAPPER.treeToValue(report, UsageReportDocument.class).usageReport().usage()
                .getFirst();

        assertThat(row.direction()).isNull();
        assertThat(WireJson.MAPPER.readValue(WireJson.MAPPER.writeValueAsString(row), UsageRow.class)).isEqualTo(row);
    }

    @Test
    void a_usage_rows_direction_reads_back_as_written() throws Exception {
        UsageRow row = WireJson.MAPPER.readValue(REPORT, UsageReportDocument.class).usageReport().usage().getFirst();

        assertThat(row.direction()).isEqualTo("egress");
        assertThat(WireJson.MAPPER.readValue(WireJson.MAPPER.writeValueAsString(row), UsageRow.class)).isEqualTo(row);
    }

    @Test
    void a_row_without_a_direction_is_written_without_one_and_reads_back_direction_less() throws Exception {
        UsageRow row = new UsageRow(ROUTER, LABEL, "p1", 3, 300, 240L, 1795464030, 1795464270, null);

        JsonNode written = WireJson.MAPPER.valueToTree(row);

        assertThat(written.has("direction")).isFalse();     // a server before issue 17 refuses the attribute
        assertThat(WireJson.MAPPER.treeToValue(written, UsageRow.class)).isEqualTo(row);
    }

    @ParameterizedTest(name = "{0} without {2}{3}")
    @MethodSource("requiredFields")
    void a_missing_required_field_is_refused_naming_it(Class<? extends Record> type, JsonNode document,
                                                        String at, String field) {
        ObjectNode copy = document.deepCopy();
        ((ObjectNode) copy.at(at)).remove(field);

        assertThatThrownBy(() -> WireJson.MAPPER.treeToValue(copy, type)).hasMessageMatching(naming(field));
    }

    @ParameterizedTest(name = "{0} with {2}{3} = {4}")
    @MethodSource("mistypedFields")
    void a_field_of_another_type_or_null_is_refused_naming_it(Class<? extends Record> type, JsonNode document,
                                                              String at, String field, JsonNode value) {
        ObjectNode copy = document.deepCopy();
        ((ObjectNode) copy.at(at)).set(field, value);

        assertThatThrownBy(() -> WireJson.MAPPER.treeToValue(copy, type)).hasMessageMatching(naming(field));
    }

    @Test
    void an_optional_field_may_be_missing() throws Exception {
        for (Arguments arguments : documents().toList()) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> type = (Class<? extends Record>) arguments.get()[0];
            ObjectNode document = (ObjectNode) WireJson.MAPPER.readTree((String) arguments.get()[1]);
            OPTIONAL.forEach((at, fields) -> {
                if (document.at(at) instanceof ObjectNode object) {
                    object.remove(fields);
                }
            });
            assertThat(WireJson.MAPPER.treeToValue(document, type)).as(type.getSimpleName()).isNotNull();
        }
    }

    private static String naming(String field) {
        return "(?s).*['\"]" + field + "['\"].*";
    }

    static Stream<Arguments> documents() {
        return Stream.of(Arguments.of(SyncDocument.class, SYNC), Arguments.of(UsageReportDocument.class, REPORT),
                Arguments.of(LedgerDocument.class, LEDGER));
    }

    static Stream<Arguments> requiredFields() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (Field field : fields()) {
            if (!OPTIONAL.getOrDefault(field.at(), Set.of()).contains(field.name())) {
                cases.add(Arguments.of(field.type(), field.document(), field.at(), field.name()));
            }
        }
        return cases.stream();
    }

    /** Each field with a value of every other JSON type, and with {@code null} unless that means "none". */
    static Stream<Arguments> mistypedFields() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (Field field : fields()) {
            JsonNode value = field.document().at(field.at()).get(field.name());
            List<JsonNode> others = new ArrayList<>(List.of(TextNode.valueOf("1"), IntNode.valueOf(1),
                    BooleanNode.TRUE, WireJson.MAPPER.createArrayNode(), WireJson.MAPPER.createObjectNode()));
            others.removeIf(other -> other.getNodeType() == value.getNodeType());
            boolean optionalDirection = field.name().equals("direction")
                    && OPTIONAL.getOrDefault(field.at(), Set.of()).contains("direction");
            if (!NULLABLE.contains(field.name()) && !optionalDirection) {
                others.add(NullNode.getInstance());
            }
            others.forEach(other -> cases.add(Arguments.of(field.type(), field.document(), field.at(), field.name(),
                    other)));
        }
        return cases.stream();
    }

    private record Field(Class<?> type, JsonNode document, String at, String name) {
    }

    /** Every field of every object in the three documents (the first item of each list stands for all). */
    private static List<Field> fields() throws Exception {
        List<Field> fields = new ArrayList<>();
        for (Arguments arguments : documents().toList()) {
            JsonNode document = WireJson.MAPPER.readTree((String) arguments.get()[1]);
            collect((Class<?>) arguments.get()[0], document, document, "", fields);
        }
        return fields;
    }

    private static void collect(Class<?> type, JsonNode document, JsonNode node, String at, List<Field> fields) {
        if (node instanceof ObjectNode object) {
            boolean map = at.endsWith("/projects") || at.endsWith("/tables") || at.equals("/projects")
                    || at.equals("/tables");
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!map) {
                    fields.add(new Field(type, document, at, name));
                }
                collect(type, document, object.get(name), at + "/" + name, fields);
            }
        } else if (node instanceof ArrayNode array && !array.isEmpty()) {
            collect(type, document, array.get(0), at + "/0", fields);
        }
    }
}
