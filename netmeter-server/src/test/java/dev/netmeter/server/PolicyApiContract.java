package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.server.ApiClient.Caller;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Neutron's default metering policy (neutron/conf/policies/metering.py), seen through noauth headers:
 * only an admin creates and deletes; the owner project reads its own labels and rules; any other project
 * cannot tell that they exist (404, not 403). No identity headers at all means Neutron's noauth admin.
 */
abstract class PolicyApiContract extends HttpContract {
    private static final String LABEL_NOT_FOUND = "Metering label '%s' does not exist.";
    private static final String RULE_NOT_FOUND = "Metering label rule '%s' does not exist.";

    private final String owner = newProject();
    private final String other = newProject();
    private final AtomicInteger prefixes = new AtomicInteger();
    private String label;
    private String rule;

    /** The callers of the matrix. */
    enum Role { ADMIN, OWNER, OTHER_PROJECT, NO_HEADERS }

    /** The endpoints that act on one resource of the owner project. */
    enum Endpoint { SHOW_LABEL, CREATE_LABEL, DELETE_LABEL, SHOW_RULE, CREATE_RULE, DELETE_RULE }

    @BeforeAll
    void create_a_label_and_a_rule_of_the_owner_project() {
        label = createLabel(owner, "owned");
        rule = createRule(label, "ingress", "10.0.0.0/24");
    }

    static Stream<Arguments> listings() {
        return Stream.of(
                arguments(Role.ADMIN, true),
                arguments(Role.OWNER, true),
                arguments(Role.OTHER_PROJECT, false),
                arguments(Role.NO_HEADERS, true));
    }

    @ParameterizedTest(name = "{0} sees them: {1}")
    @MethodSource("listings")
    void lists_show_a_projects_labels_and_rules_to_admins_and_to_that_project_only(Role role, boolean sees) {
        List<JsonNode> labels = items(api.get(LABELS, caller(role)), "metering_labels");
        List<JsonNode> rules = items(api.get(RULES, caller(role)), "metering_label_rules");

        assertThat(ids(labels).contains(label)).as("lists the label").isEqualTo(sees);
        assertThat(ids(rules).contains(rule)).as("lists the rule").isEqualTo(sees);
        if (role == Role.OWNER || role == Role.OTHER_PROJECT) {
            String project = role == Role.OWNER ? owner : other;
            assertThat(labels).allSatisfy(listed -> assertThat(listed.path("project_id").asText()).isEqualTo(project));
            assertThat(rules).allSatisfy(listed ->
                    assertThat(ids(labels)).contains(listed.path("metering_label_id").asText()));
        }
    }

    /** Endpoint, caller, then the status, type and message (with %s for the target's id) of the answer. */
    static Stream<Arguments> matrix() {
        return Stream.of(
                arguments(Endpoint.SHOW_LABEL, Role.ADMIN, 200, "", ""),
                arguments(Endpoint.SHOW_LABEL, Role.OWNER, 200, "", ""),
                arguments(Endpoint.SHOW_LABEL, Role.OTHER_PROJECT, 404, "MeteringLabelNotFound", LABEL_NOT_FOUND),
                arguments(Endpoint.SHOW_LABEL, Role.NO_HEADERS, 200, "", ""),
                arguments(Endpoint.CREATE_LABEL, Role.ADMIN, 201, "", ""),
                arguments(Endpoint.CREATE_LABEL, Role.OWNER, 403, "PolicyNotAuthorized",
                        "rule:create_metering_label is disallowed by policy"),
                arguments(Endpoint.CREATE_LABEL, Role.OTHER_PROJECT, 403, "PolicyNotAuthorized",
                        "rule:create_metering_label is disallowed by policy"),
                arguments(Endpoint.CREATE_LABEL, Role.NO_HEADERS, 201, "", ""),
                arguments(Endpoint.DELETE_LABEL, Role.ADMIN, 204, "", ""),
                // The owner may read its label but not delete it: 403, as Neutron (transcript case 51).
                arguments(Endpoint.DELETE_LABEL, Role.OWNER, 403, "PolicyNotAuthorized",
                        "rule:delete_metering_label is disallowed by policy"),
                // Another project may not even learn that the label exists.
                arguments(Endpoint.DELETE_LABEL, Role.OTHER_PROJECT, 404, "MeteringLabelNotFound", LABEL_NOT_FOUND),
                arguments(Endpoint.DELETE_LABEL, Role.NO_HEADERS, 204, "", ""),
                arguments(Endpoint.SHOW_RULE, Role.ADMIN, 200, "", ""),
                arguments(Endpoint.SHOW_RULE, Role.OWNER, 200, "", ""),
                arguments(Endpoint.SHOW_RULE, Role.OTHER_PROJECT, 404, "MeteringLabelRuleNotFound", RULE_NOT_FOUND),
                arguments(Endpoint.SHOW_RULE, Role.NO_HEADERS, 200, "", ""),
                arguments(Endpoint.CREATE_RULE, Role.ADMIN, 201, "", ""),
                arguments(Endpoint.CREATE_RULE, Role.OWNER, 403, "PolicyNotAuthorized",
                        "rule:create_metering_label_rule is disallowed by policy"),
                // The label the rule would join is invisible to another project: not found, as for a show.
                arguments(Endpoint.CREATE_RULE, Role.OTHER_PROJECT, 404, "MeteringLabelNotFound", LABEL_NOT_FOUND),
                arguments(Endpoint.CREATE_RULE, Role.NO_HEADERS, 201, "", ""),
                arguments(Endpoint.DELETE_RULE, Role.ADMIN, 204, "", ""),
                arguments(Endpoint.DELETE_RULE, Role.OWNER, 403, "PolicyNotAuthorized",
                        "rule:delete_metering_label_rule is disallowed by policy"),
                arguments(Endpoint.DELETE_RULE, Role.OTHER_PROJECT, 404, "MeteringLabelRuleNotFound", RULE_NOT_FOUND),
                arguments(Endpoint.DELETE_RULE, Role.NO_HEADERS, 204, "", ""));
    }

    @ParameterizedTest(name = "{0} by {1}: {2} {3}")
    @MethodSource("matrix")
    void the_policy_decides_who_may_do_what_to_a_projects_resources(
            Endpoint endpoint, Role role, int status, String type, String message) {
        Attempt attempt = attempt(endpoint, caller(role));

        if (type.isEmpty()) {
            assertThat(attempt.response().status()).as("%s", attempt.response()).isEqualTo(status);
        } else {
            assertNeutronError(attempt.response(), status, type, message.formatted(attempt.target()));
        }
        if (status >= 400 && endpoint.name().startsWith("DELETE")) {
            String path = (endpoint == Endpoint.DELETE_LABEL ? LABELS : RULES) + "/" + attempt.target();
            assertThat(api.get(path, Caller.ADMIN).status()).as("refused delete left it in place").isEqualTo(200);
        }
    }

    @Test
    void the_admin_role_counts_in_any_case_and_among_other_roles() {
        Caller admin = new Caller("admin among others", owner, "user", "reader, Admin ,member");

        assertThat(api.post(LABELS, admin, body("metering_label", "name", "by a mixed-case admin")).status())
                .isEqualTo(201);
    }

    @Test
    void a_label_created_without_identity_headers_belongs_to_the_noauth_project() {
        ApiClient.Response created = api.post(LABELS, Caller.NO_HEADERS, body("metering_label", "name", "anon"));

        assertThat(created.json().path("metering_label").path("project_id").asText()).isEqualTo("fake_project_id");
        assertThat(created.json().path("metering_label").path("tenant_id").asText()).isEqualTo("fake_project_id");
    }

    /** What an endpoint was called on (the id a NotFound message names) and its answer. */
    private record Attempt(String target, ApiClient.Response response) {
    }

    private Attempt attempt(Endpoint endpoint, Caller caller) {
        return switch (endpoint) {
            case SHOW_LABEL -> new Attempt(label, api.get(LABELS + "/" + label, caller));
            case CREATE_LABEL -> new Attempt(label, api.post(LABELS, caller,
                    body("metering_label", "name", "policy", "tenant_id", owner)));
            case DELETE_LABEL -> {
                String doomed = createLabel(owner, "to delete");
                yield new Attempt(doomed, api.delete(LABELS + "/" + doomed, caller));
            }
            case SHOW_RULE -> new Attempt(rule, api.get(RULES + "/" + rule, caller));
            case CREATE_RULE -> new Attempt(label, api.post(RULES, caller, body("metering_label_rule",
                    "metering_label_id", label, "direction", "egress",
                    "remote_ip_prefix", "10.%d.0.0/16".formatted(prefixes.incrementAndGet()))));
            case DELETE_RULE -> {
                String doomed = createRule(label, "egress", "172.16.%d.0/24".formatted(prefixes.incrementAndGet()));
                yield new Attempt(doomed, api.delete(RULES + "/" + doomed, caller));
            }
        };
    }

    private Caller caller(Role role) {
        return switch (role) {
            case ADMIN -> Caller.ADMIN;
            case OWNER -> Caller.member(owner);
            case OTHER_PROJECT -> Caller.member(other);
            case NO_HEADERS -> Caller.NO_HEADERS;
        };
    }
}
