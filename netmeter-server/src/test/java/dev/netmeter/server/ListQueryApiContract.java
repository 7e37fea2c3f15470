package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.server.ApiClient.Caller;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Filters, {@code fields} and the checks of query parameters, on show and list, as Neutron's api_common. */
abstract class ListQueryApiContract extends HttpContract {
    private final String project = newProject();
    private String web;
    private String mail;
    private String dns;
    private String label;
    private String otherLabel;
    private String ingress;
    private String egress;
    private String excluded;
    private String elsewhere;

    @BeforeAll
    void create_labels_and_rules_to_query() {
        web = createLabel(project, "web");
        mail = createLabel(project, "mail");
        dns = createLabel(project, "dns");
        label = createLabel(newProject(), "queried rules");
        otherLabel = createLabel(newProject(), "other rules");
        ingress = createRule(label, "ingress", "10.0.0.0/24");
        egress = createRule(label, "egress", "10.0.0.0/24");
        excluded = createRule(body("metering_label_rule", "metering_label_id", label, "direction", "ingress",
                "remote_ip_prefix", "10.0.0.0/16", "excluded", true));
        elsewhere = createRule(otherLabel, "ingress", "9.0.0.0/8");
    }

    @Test
    void a_filter_given_several_values_matches_any_of_them() {
        assertThat(labelIds("?project_id=%s&name=web&name=dns".formatted(project))).containsExactly(web, dns);
        assertThat(labelIds("?project_id=%s&shared=true&shared=false".formatted(project)))
                .containsExactly(web, mail, dns);
        assertThat(ruleIds("?metering_label_id=%s&direction=ingress&direction=egress".formatted(label)))
                .containsExactly(ingress, egress, excluded);
        assertThat(ruleIds(("?metering_label_id=%s&metering_label_id=%s&remote_ip_prefix=10.0.0.0/16"
                + "&remote_ip_prefix=9.0.0.0/8").formatted(label, otherLabel))).containsExactly(excluded, elsewhere);
    }

    @Test
    void different_filters_must_all_match() {
        assertThat(ruleIds("?metering_label_id=%s&direction=ingress&excluded=false".formatted(label)))
                .containsExactly(ingress);
        // tenant_id and project_id are one attribute under two names: a label must satisfy both.
        assertThat(labelIds("?project_id=%s&tenant_id=%s".formatted(project, project)))
                .containsExactly(web, mail, dns);
        assertThat(labelIds("?project_id=%s&tenant_id=%s".formatted(project, newProject()))).isEmpty();
        assertThat(labelIds("?project_id=%s&name=web&name=nothing&shared=true".formatted(project))).isEmpty();
    }

    @Test
    void fields_choose_the_attributes_of_a_show() {
        JsonNode shown = api.get(LABELS + "/" + web + "?fields=id&fields=name", Caller.ADMIN).json();
        assertThat(shown.path("metering_label")).isEqualTo(ApiClient.JSON.createObjectNode()
                .put("id", web).put("name", "web"));

        JsonNode rule = api.get(RULES + "/" + ingress + "?fields=remote_ip_prefix&fields=excluded", Caller.ADMIN)
                .json();
        assertThat(rule.path("metering_label_rule")).isEqualTo(ApiClient.JSON.createObjectNode()
                .put("remote_ip_prefix", "10.0.0.0/24").put("excluded", false));
    }

    @Test
    void fields_choose_the_attributes_of_each_listed_item_and_an_empty_one_chooses_all() {
        List<JsonNode> listed = items(api.get(LABELS + "?project_id=%s&fields=name&fields=tenant_id"
                .formatted(project), Caller.ADMIN), "metering_labels");
        assertThat(listed).extracting(item -> fieldNames(item)).containsOnly(List.of("name", "tenant_id"));

        List<JsonNode> rules = items(api.get(RULES + "?metering_label_id=%s&fields=direction"
                .formatted(label), Caller.ADMIN), "metering_label_rules");
        assertThat(rules).extracting(item -> item.toString())
                .containsExactly("{\"direction\":\"ingress\"}", "{\"direction\":\"egress\"}",
                        "{\"direction\":\"ingress\"}");

        List<JsonNode> all = items(api.get(LABELS + "?project_id=%s&fields=".formatted(project), Caller.ADMIN),
                "metering_labels");
        assertThat(fieldNames(all.getFirst()))
                .containsExactly("id", "name", "description", "shared", "project_id", "tenant_id");
    }

    static Stream<Arguments> unknownParameters() {
        return Stream.of(
                arguments(LABELS + "?foo=bar", "['foo'] is invalid attribute for filtering"),
                arguments(LABELS + "?foo=1&name=x&bar=2", "['foo', 'bar'] is invalid attribute for filtering"),
                arguments(RULES + "?name=web", "['name'] is invalid attribute for filtering"),
                arguments(LABELS + "?sort_key=bogus&sort_dir=asc", "['bogus'] is invalid attribute for sort_keys"),
                arguments(RULES + "?sort_key=shared&sort_dir=asc", "['shared'] is invalid attribute for sort_keys"),
                arguments(LABELS + "?sort_key=name&sort_dir=up",
                        "['up'] is invalid value for sort_dirs, valid value is 'asc' and 'desc'"),
                arguments(LABELS + "?sort_key=name", "The number of sort_keys and sort_dirs must be same"),
                arguments(LABELS + "?fields=bogus", "['bogus'] is invalid attribute for fields"),
                arguments(RULES + "?fields=shared", "['shared'] is invalid attribute for fields"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownParameters")
    void unknown_filters_sort_keys_and_fields_are_refused(String target, String message) {
        assertNeutronError(api.get(target, Caller.ADMIN), 400, "HTTPBadRequest", message);
    }

    @Test
    void unknown_fields_of_a_show_are_refused() {
        assertNeutronError(api.get(LABELS + "/" + web + "?fields=bogus", Caller.ADMIN), 400, "HTTPBadRequest",
                "['bogus'] is invalid attribute for fields");
        assertNeutronError(api.get(RULES + "/" + ingress + "?fields=name", Caller.ADMIN), 400, "HTTPBadRequest",
                "['name'] is invalid attribute for fields");
    }

    @ParameterizedTest(name = "limit={0}")
    @CsvSource({"abc", "-1", "1.5", "99999999999", "' '"})
    void a_limit_that_is_not_a_whole_number_from_zero_is_a_bad_request(String limit) {
        String encoded = URLEncoder.encode(limit, StandardCharsets.UTF_8);
        assertNeutronError(api.get(LABELS + "?limit=" + encoded, Caller.ADMIN), 400, "BadRequest",
                "Bad limit request: Limit must be an integer 0 or greater and not '%s'.".formatted(limit));
    }

    @Test
    void limit_zero_means_no_paging() {
        ApiClient.Response all = api.get(LABELS + "?project_id=%s&limit=0".formatted(project), Caller.ADMIN);

        assertThat(ids(items(all, "metering_labels"))).containsExactly(web, mail, dns);
        assertThat(all.json().has("metering_labels_links")).isFalse();
    }

    private List<String> labelIds(String query) {
        return ids(items(api.get(LABELS + query, Caller.ADMIN), "metering_labels"));
    }

    private List<String> ruleIds(String query) {
        return ids(items(api.get(RULES + query, Caller.ADMIN), "metering_label_rules"));
    }

    private static List<String> fieldNames(JsonNode item) {
        return item.properties().stream().map(Map.Entry::getKey).toList();
    }
}
