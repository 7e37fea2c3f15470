package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.server.ApiClient.Caller;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bulk create ({@code {"metering_labels": [...]}}) stores every item or none, over HTTP: whichever item
 * fails, and however (bad input, policy, missing label, overlap), nothing of the request is left behind.
 */
abstract class BulkCreateApiContract extends HttpContract {
    private static final String OVERLAPS = "Metering label rule with remote_ip_prefix '%s' overlaps another.";

    @Test
    void a_bulk_of_labels_is_created_in_order_and_answered_as_a_collection() {
        String project = newProject();

        ApiClient.Response created = api.post(LABELS, Caller.ADMIN, json(Map.of("metering_labels", List.of(
                Map.of("name", "one", "tenant_id", project),
                Map.of("name", "two", "tenant_id", project, "shared", true)))));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        List<JsonNode> labels = items(created, "metering_labels");
        assertThat(labels).extracting(label -> label.path("name").asText()).containsExactly("one", "two");
        assertThat(labelsOf(project)).containsExactlyInAnyOrderElementsOf(labels);
    }

    @Test
    void a_bulk_of_labels_with_one_invalid_item_stores_none() {
        String project = newProject();

        ApiClient.Response refused = api.post(LABELS, Caller.ADMIN, json(Map.of("metering_labels", List.of(
                Map.of("name", "fine", "tenant_id", project),
                Map.of("name", "n".repeat(256), "tenant_id", project)))));

        assertNeutronError(refused, 400, "HTTPBadRequest",
                "Invalid input for name. Reason: '%s' exceeds maximum length of 255.".formatted("n".repeat(256)));
        assertThat(labelsOf(project)).isEmpty();
    }

    @Test
    void a_bulk_of_labels_a_member_may_not_create_stores_none() {
        String project = newProject();

        ApiClient.Response refused = api.post(LABELS, Caller.member(project), json(Map.of("metering_labels",
                List.of(Map.of("name", "mine"), Map.of("name", "also mine")))));

        assertNeutronError(refused, 403, "PolicyNotAuthorized", "rule:create_metering_label is disallowed by policy");
        assertThat(labelsOf(project)).isEmpty();
    }

    @Test
    void an_empty_bulk_is_refused() {
        assertNeutronError(api.post(LABELS, Caller.ADMIN, "{\"metering_labels\": []}"), 400, "HTTPBadRequest",
                "Resources required");
        assertNeutronError(api.post(RULES, Caller.ADMIN, "{\"metering_label_rules\": []}"), 400, "HTTPBadRequest",
                "Resources required");
    }

    @Test
    void a_bulk_of_rules_over_two_labels_is_created_in_order() {
        String first = createLabel(newProject(), "first");
        String second = createLabel(newProject(), "second");

        ApiClient.Response created = api.post(RULES, Caller.ADMIN, rules(
                rule(second, "10.0.0.0/24"), rule(first, "10.0.0.0/24"), rule(second, "10.0.1.0/24")));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(items(created, "metering_label_rules")).extracting(rule -> rule.path("metering_label_id").asText())
                .containsExactly(second, first, second);
        assertThat(rulesOf(first)).hasSize(1);
        assertThat(rulesOf(second)).hasSize(2);
    }

    @Test
    void two_overlapping_rules_in_one_bulk_conflict_and_neither_is_stored() {
        String label = createLabel(newProject(), "bulk overlap");

        ApiClient.Response refused = api.post(RULES, Caller.ADMIN, rules(
                rule(label, "10.0.0.0/24"), rule(label, "10.1.0.0/16"), rule(label, "10.0.0.128/25")));

        assertNeutronError(refused, 409, "MeteringLabelRuleOverlaps", OVERLAPS.formatted("10.0.0.128/25"));
        assertThat(rulesOf(label)).isEmpty();
    }

    @Test
    void a_bulk_rule_overlapping_a_stored_rule_conflicts_and_none_of_the_bulk_is_stored() {
        String label = createLabel(newProject(), "stored overlap");
        String stored = createRule(label, "ingress", "192.168.0.0/16");

        ApiClient.Response refused = api.post(RULES, Caller.ADMIN, rules(
                rule(label, "10.0.0.0/24"), rule(label, "192.168.7.0/24")));

        assertNeutronError(refused, 409, "MeteringLabelRuleOverlaps", OVERLAPS.formatted("192.168.7.0/24"));
        assertThat(ids(rulesOf(label))).containsExactly(stored);
    }

    @Test
    void a_bulk_rule_of_a_missing_label_is_not_found_and_none_of_the_bulk_is_stored() {
        String label = createLabel(newProject(), "missing sibling");
        String missing = "00000000-0000-7000-8000-000000000000";

        ApiClient.Response refused = api.post(RULES, Caller.ADMIN, rules(
                rule(label, "10.0.0.0/24"), rule(missing, "10.0.1.0/24")));

        assertNeutronError(refused, 404, "MeteringLabelNotFound",
                "Metering label '%s' does not exist.".formatted(missing));
        assertThat(rulesOf(label)).isEmpty();
    }

    @Test
    void a_bulk_rule_with_an_invalid_prefix_is_refused_and_none_of_the_bulk_is_stored() {
        String label = createLabel(newProject(), "invalid sibling");

        ApiClient.Response refused = api.post(RULES, Caller.ADMIN, rules(
                rule(label, "10.0.0.0/24"), rule(label, "10.0.1.0/33")));

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.errorType()).isEqualTo("InvalidInput");
        assertThat(rulesOf(label)).isEmpty();
    }

    private static Map<String, Object> rule(String label, String remoteIpPrefix) {
        return Map.of("metering_label_id", label, "direction", "ingress", "remote_ip_prefix", remoteIpPrefix);
    }

    private static String rules(Object... rules) {
        return json(Map.of("metering_label_rules", List.of(rules)));
    }

    private List<JsonNode> labelsOf(String project) {
        return items(api.get(LABELS + "?project_id=" + project, Caller.ADMIN), "metering_labels");
    }

    private List<JsonNode> rulesOf(String label) {
        return items(api.get(RULES + "?metering_label_id=" + label, Caller.ADMIN), "metering_label_rules");
    }
}
