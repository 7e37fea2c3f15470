package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.server.ApiClient.Caller;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /v2.0/metering/routers} end to end, on every database: defaults of a create, every attribute
 * stored and read back as sent, the checks of names the agent hands to the kernel (a refused request
 * creates nothing, a refused bulk creates none of its routers), updates of each mutable attribute and
 * refusal of the others, deletion, list filters, {@code fields}, sorting and paging, and the default
 * policy: only an admin writes, the owner project reads, any other project cannot tell a router exists.
 */
abstract class RouterApiContract extends HttpContract {
    static final String ROUTERS = "/v2.0/metering/routers";
    private static final String NOT_FOUND = "Router %s could not be found";
    private static final String LINUX_NAME = "Invalid input for %s. Reason: '%s' is not a valid %s: 1 to %d of "
            + "A-Z a-z 0-9 _ . -, not starting with -, not . or ...";
    private static final String NOT_A_STRING = "Invalid input for %s. Reason: '%s' is not a valid string.";
    private static final String REQUIRED = "Failed to parse request. Required attribute '%s' not specified";
    /** In an override: leave the attribute out of the request. */
    private static final Object ABSENT = new Object();

    /** An admin whose token is scoped to {@code project}. */
    private static Caller adminOf(String project) {
        return new Caller("admin of " + project, project, "admin-user", "admin,member,reader");
    }

    @Test
    void a_router_given_only_its_host_and_interface_gets_every_default() {
        String project = newProject();
        ApiClient.Response created = api.post(ROUTERS, adminOf(project),
                body("router", "host", "compute-1", "external_interface", "eth0"));

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode router = created.json().path("router");
        String id = router.path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(router).isEqualTo(ApiClient.JSON.createObjectNode().put("id", id).put("name", "")
                .put("description", "").put("project_id", project).put("tenant_id", project)
                .put("admin_state_up", true).put("status", "ACTIVE").put("host", "compute-1")
                .put("distributed", false).put("namespace", "qrouter-" + id).put("external_interface", "eth0"));
        assertThat(show(id)).isEqualTo(router);
        assertThat(routersOf(project)).containsExactly(router);
    }

    @Test
    void a_router_given_every_attribute_keeps_them_all() {
        String project = newProject();
        Map<String, Object> item = item(project, "name", "edge", "description", "the edge router",
                "project_id", project, "admin_state_up", false, "host", "net_node-2.example", "distributed", true,
                "namespace", "ns-edge.1", "external_interface", "br-ex.100");

        JsonNode router = created(api.post(ROUTERS, Caller.ADMIN, json(Map.of("router", item))));

        ObjectNode expected = ApiClient.JSON.valueToTree(item);
        expected.put("id", router.path("id").asText()).put("status", "ACTIVE");
        assertThat(router).isEqualTo(expected);
        assertThat(show(router.path("id").asText())).isEqualTo(expected);
    }

    static Stream<Arguments> refusedAttributes() {
        return Stream.of(
                arguments(new Object[] {"project_id", "someone-else"}, "'project_id' and 'tenant_id' do not match"),
                arguments(new Object[] {"id", UUID.randomUUID().toString()}, "Attribute 'id' not allowed in POST"),
                arguments(new Object[] {"status", "ACTIVE"}, "Attribute 'status' not allowed in POST"),
                arguments(new Object[] {"bogus", 1}, "Unrecognized attribute(s) 'bogus'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusedAttributes")
    void attributes_a_client_may_not_send_are_refused(Object[] overrides, String message) {
        String project = newProject();

        assertNeutronError(api.post(ROUTERS, Caller.ADMIN, json(Map.of("router", item(project, overrides)))),
                400, "HTTPBadRequest", message);
        assertThat(routersOf(project)).isEmpty();
    }

    static Stream<Arguments> invalidRouters() {
        String interfaceName = "external_interface";
        return Stream.of(
                arguments("no host", new Object[] {"host", ABSENT}, REQUIRED.formatted("host")),
                arguments("no interface", new Object[] {interfaceName, ABSENT}, REQUIRED.formatted(interfaceName)),
                interfaceCase("abcdefghijklmnop"),
                interfaceCase("eth/0"),
                interfaceCase("eth 0"),
                interfaceCase("eth0:1"),
                interfaceCase(""),
                interfaceCase("."),
                interfaceCase(".."),
                interfaceCase("-eth0"),
                interfaceCase("eth\u00e9"),
                arguments("an interface number", new Object[] {interfaceName, 5},
                        NOT_A_STRING.formatted(interfaceName, "5")),
                arguments("a null interface", new Object[] {interfaceName, null},
                        NOT_A_STRING.formatted(interfaceName, "None")),
                namespaceCase(".."),
                namespaceCase("n".repeat(256)),
                namespaceCase("ns/1"),
                arguments("host 'compute 1'", new Object[] {"host", "compute 1"},
                        LINUX_NAME.formatted("host", "compute 1", "host name", 255)),
                arguments("a name of 256", new Object[] {"name", "x".repeat(256)},
                        "Invalid input for name. Reason: '%s' exceeds maximum length of 255."
                                .formatted("x".repeat(256))),
                arguments("a description of 1025", new Object[] {"description", "d".repeat(1025)},
                        "Invalid input for description. Reason: '%s' exceeds maximum length of 1024."
                                .formatted("d".repeat(1025))));
    }

    private static Arguments interfaceCase(String name) {
        return arguments("interface '%s'".formatted(name), new Object[] {"external_interface", name},
                LINUX_NAME.formatted("external_interface", name, "interface name", 15));
    }

    private static Arguments namespaceCase(String name) {
        return arguments("namespace '%s'".formatted(name), new Object[] {"namespace", name},
                LINUX_NAME.formatted("namespace", name, "network namespace name", 255));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRouters")
    void an_invalid_router_is_a_bad_request_and_creates_nothing(String what, Object[] overrides, String message) {
        String project = newProject();

        assertNeutronError(api.post(ROUTERS, Caller.ADMIN, json(Map.of("router", item(project, overrides)))),
                400, "HTTPBadRequest", message);
        assertThat(routersOf(project)).isEmpty();
    }

    @Test
    void admin_state_up_that_is_not_a_boolean_is_invalid_input() {
        String project = newProject();

        assertNeutronError(api.post(ROUTERS, Caller.ADMIN, json(Map.of("router",
                        item(project, "admin_state_up", "maybe")))),
                400, "InvalidInput", "Invalid input for operation: 'maybe' cannot be converted to boolean.");
        assertThat(routersOf(project)).isEmpty();
    }

    @Test
    void a_bulk_create_creates_every_router_or_none() {
        String project = newProject();
        List<Map<String, Object>> valid = List.of(item(project, "name", "a"), item(project, "name", "b"),
                item(project, "name", "c", "external_interface", "eth1"));

        List<JsonNode> created = items(api.post(ROUTERS, Caller.ADMIN, json(Map.of("routers", valid))), "routers");

        assertThat(created).extracting(router -> router.path("name").asText()).containsExactly("a", "b", "c");
        assertThat(routersOf(project)).containsExactlyInAnyOrderElementsOf(created);

        String refused = newProject();
        List<Map<String, Object>> third = List.of(item(refused), item(refused),
                item(refused, "external_interface", "eth0:1"));
        assertNeutronError(api.post(ROUTERS, Caller.ADMIN, json(Map.of("routers", third))), 400, "HTTPBadRequest",
                LINUX_NAME.formatted("external_interface", "eth0:1", "interface name", 15));
        assertThat(routersOf(refused)).isEmpty();
    }

    /** A new value of every mutable attribute, unlike the ones {@link #create} gives; sorted by name. */
    private static final Map<String, Object> CHANGES = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "name", "renamed", "description", "described", "admin_state_up", false, "host", "moved-host",
            "distributed", true, "namespace", "ns-moved", "external_interface", "eth9")));

    static Stream<Arguments> changes() {
        return CHANGES.entrySet().stream().map(change -> arguments(change.getKey(), change.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void an_update_changes_a_mutable_attribute(String attribute, Object value) {
        JsonNode router = create(newProject());
        String id = router.path("id").asText();

        ApiClient.Response updated = api.put(ROUTERS + "/" + id, Caller.ADMIN, body("router", attribute, value));

        ObjectNode expected = router.deepCopy();
        expected.set(attribute, ApiClient.JSON.valueToTree(value));
        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        assertThat(updated.json().path("router")).isEqualTo(expected);
        assertThat(show(id)).isEqualTo(expected);
    }

    @Test
    void an_update_of_every_mutable_attribute_at_once_changes_them_all() {
        JsonNode router = create(newProject());
        String id = router.path("id").asText();

        ApiClient.Response updated = api.put(ROUTERS + "/" + id, Caller.ADMIN, json(Map.of("router", CHANGES)));

        ObjectNode expected = router.deepCopy();
        expected.setAll((ObjectNode) ApiClient.JSON.valueToTree(CHANGES));
        assertThat(updated.json().path("router")).as("%s", updated).isEqualTo(expected);
        assertThat(show(id)).isEqualTo(expected);
    }

    static Stream<Arguments> refusedUpdates() {
        return Stream.of(
                arguments("id", UUID.randomUUID().toString(), "Cannot update read-only attribute id"),
                arguments("project_id", "p", "Cannot update read-only attribute project_id"),
                arguments("tenant_id", "p", "Cannot update read-only attribute tenant_id"),
                arguments("status", "DOWN", "Cannot update read-only attribute status"),
                arguments("bogus", "x", "Unrecognized attribute(s) 'bogus'"),
                arguments("external_interface", "eth0:1",
                        LINUX_NAME.formatted("external_interface", "eth0:1", "interface name", 15)),
                arguments("external_interface", "a-very-long-name",
                        LINUX_NAME.formatted("external_interface", "a-very-long-name", "interface name", 15)),
                arguments("namespace", "..", LINUX_NAME.formatted("namespace", "..", "network namespace name", 255)),
                arguments("host", "-h", LINUX_NAME.formatted("host", "-h", "host name", 255)),
                arguments("name", null, NOT_A_STRING.formatted("name", "None")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedUpdates")
    void a_refused_update_leaves_the_router_unchanged(String attribute, Object value, String message) {
        JsonNode router = create(newProject());
        String id = router.path("id").asText();

        assertNeutronError(api.put(ROUTERS + "/" + id, Caller.ADMIN, body("router", attribute, value)), 400,
                "HTTPBadRequest", message);
        assertThat(show(id)).isEqualTo(router);
    }

    @Test
    void an_empty_update_changes_nothing() {
        JsonNode router = create(newProject());
        String id = router.path("id").asText();

        ApiClient.Response updated = api.put(ROUTERS + "/" + id, Caller.ADMIN, "{\"router\": {}}");

        assertThat(updated.status()).as("%s", updated).isEqualTo(200);
        assertThat(updated.json().path("router")).isEqualTo(router);
        assertThat(show(id)).isEqualTo(router);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"6e11ae84-14c0-449e-ac0f-b75086142ec6", "not-a-uuid"})
    void a_router_that_does_not_exist_is_not_found(String id) {
        String message = NOT_FOUND.formatted(id);

        assertNeutronError(api.get(ROUTERS + "/" + id, Caller.ADMIN), 404, "RouterNotFound", message);
        assertNeutronError(api.put(ROUTERS + "/" + id, Caller.ADMIN, body("router", "name", "x")), 404,
                "RouterNotFound", message);
        assertNeutronError(api.delete(ROUTERS + "/" + id, Caller.ADMIN), 404, "RouterNotFound", message);
    }

    @Test
    void a_deleted_router_is_gone() {
        String project = newProject();
        String id = create(project).path("id").asText();

        ApiClient.Response deleted = api.delete(ROUTERS + "/" + id, Caller.ADMIN);

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertNeutronError(api.get(ROUTERS + "/" + id, Caller.ADMIN), 404, "RouterNotFound", NOT_FOUND.formatted(id));
        assertNeutronError(api.delete(ROUTERS + "/" + id, Caller.ADMIN), 404, "RouterNotFound",
                NOT_FOUND.formatted(id));
        assertThat(routersOf(project)).isEmpty();
    }

    @Test
    void lists_filter_on_attributes_and_choose_fields() {
        String project = newProject();
        String hostA = "a-" + project;
        String alpha = create(project, "name", "alpha", "host", hostA).path("id").asText();
        String bravo = create(project, "name", "bravo", "admin_state_up", false).path("id").asText();
        String charlie = create(project, "name", "charlie", "host", hostA, "distributed", true).path("id").asText();

        assertThat(ids(list("?host=" + hostA))).containsExactlyInAnyOrder(alpha, charlie);
        assertThat(ids(list("?project_id=%s&admin_state_up=false".formatted(project)))).containsExactly(bravo);
        assertThat(ids(list("?tenant_id=%s&name=bravo".formatted(project)))).containsExactly(bravo);
        assertThat(ids(list("?project_id=%s&distributed=True&host=%s".formatted(project, hostA))))
                .containsExactly(charlie);
        assertThat(ids(list("?project_id=%s&external_interface=eth0&status=ACTIVE".formatted(project))))
                .containsExactlyInAnyOrder(alpha, bravo, charlie);
        assertThat(ids(list("?project_id=%s&namespace=qrouter-%s".formatted(project, alpha)))).containsExactly(alpha);
        assertThat(ids(list("?project_id=%s&name=nothing".formatted(project)))).isEmpty();

        assertThat(list("?project_id=%s&fields=id&fields=host".formatted(project)))
                .containsExactlyInAnyOrder(ApiClient.JSON.createObjectNode().put("id", alpha).put("host", hostA),
                        ApiClient.JSON.createObjectNode().put("id", bravo).put("host", "host-" + project),
                        ApiClient.JSON.createObjectNode().put("id", charlie).put("host", hostA));
        assertThat(api.get(ROUTERS + "/" + bravo + "?fields=id&fields=admin_state_up", Caller.ADMIN).json()
                .path("router")).isEqualTo(ApiClient.JSON.createObjectNode().put("id", bravo)
                .put("admin_state_up", false));
        assertThat(ids(list("?project_id=%s&sort_key=name&sort_dir=desc".formatted(project))))
                .containsExactly(charlie, bravo, alpha);
    }

    @Test
    void pages_of_two_walk_through_five_routers_once_in_order() {
        String project = newProject();
        List<String> expected = new ArrayList<>();
        for (String name : List.of("e", "a", "d", "b", "c")) {
            expected.add(create(project, "name", name).path("id").asText());
        }
        List<String> byName = List.of(expected.get(1), expected.get(3), expected.get(4), expected.get(2),
                expected.get(0));
        String query = "?project_id=%s&sort_key=name&sort_dir=asc&limit=2".formatted(project);

        List<String> walked = new ArrayList<>();
        List<JsonNode> page = list(query);
        while (true) {
            assertThat(walked).as("pages walked").hasSizeLessThanOrEqualTo(5);
            walked.addAll(ids(page));
            if (page.size() < 2) {
                break;
            }
            page = list(query + "&marker=" + page.getLast().path("id").asText());
        }

        assertThat(walked).isEqualTo(byName);
        assertThat(ids(list(query.replace("&limit=2", "")))).isEqualTo(byName);
        List<String> back = ids(list(query + "&marker=" + byName.get(4) + "&page_reverse=True"));
        assertThat(back).isEqualTo(byName.subList(2, 4));
    }

    @Test
    void the_owner_project_reads_its_routers_but_only_an_admin_writes_them() {
        String owner = newProject();
        JsonNode router = create(owner);
        String id = router.path("id").asText();
        Caller member = Caller.member(owner);

        assertThat(api.get(ROUTERS + "/" + id, member).json().path("router")).isEqualTo(router);
        assertThat(items(api.get(ROUTERS, member), "routers")).containsExactly(router);
        assertNeutronError(api.post(ROUTERS, member, body("router", "host", "h", "external_interface", "eth0")),
                403, "PolicyNotAuthorized", "rule:create_metering_router is disallowed by policy");
        assertNeutronError(api.put(ROUTERS + "/" + id, member, body("router", "name", "mine")),
                403, "PolicyNotAuthorized", "rule:update_metering_router is disallowed by policy");
        assertNeutronError(api.delete(ROUTERS + "/" + id, member),
                403, "PolicyNotAuthorized", "rule:delete_metering_router is disallowed by policy");

        assertThat(show(id)).isEqualTo(router);
        assertThat(routersOf(owner)).containsExactly(router);
    }

    @Test
    void another_project_cannot_tell_that_a_router_exists() {
        String owner = newProject();
        JsonNode router = create(owner);
        String id = router.path("id").asText();
        Caller stranger = Caller.member(newProject());
        String message = NOT_FOUND.formatted(id);

        assertNeutronError(api.get(ROUTERS + "/" + id, stranger), 404, "RouterNotFound", message);
        assertNeutronError(api.put(ROUTERS + "/" + id, stranger, body("router", "name", "theirs")),
                404, "RouterNotFound", message);
        assertNeutronError(api.delete(ROUTERS + "/" + id, stranger), 404, "RouterNotFound", message);
        assertThat(items(api.get(ROUTERS, stranger), "routers")).isEmpty();
        assertThat(items(api.get(ROUTERS + "?project_id=" + owner, stranger), "routers")).isEmpty();
        assertNeutronError(api.post(ROUTERS, stranger, json(Map.of("router", item(owner)))),
                403, "PolicyNotAuthorized", "rule:create_metering_router is disallowed by policy");

        assertThat(show(id)).isEqualTo(router);
        assertThat(routersOf(owner)).containsExactly(router);
    }

    /**
     * A router item of {@code project} with a valid host and interface, then {@code overrides} (names and
     * values; {@link #ABSENT} removes the attribute).
     */
    private static Map<String, Object> item(String project, Object... overrides) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("tenant_id", project);
        item.put("host", "host-" + project);
        item.put("external_interface", "eth0");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == ABSENT) {
                item.remove((String) overrides[i]);
            } else {
                item.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return item;
    }

    /** Creates a router of {@code project} as the admin; returns it as the answer shows it. */
    private JsonNode create(String project, Object... overrides) {
        return created(api.post(ROUTERS, Caller.ADMIN, json(Map.of("router", item(project, overrides)))));
    }

    private static JsonNode created(ApiClient.Response response) {
        assertThat(response.status()).as("creating a router: %s", response).isEqualTo(201);
        return response.json().path("router");
    }

    private JsonNode show(String id) {
        ApiClient.Response shown = api.get(ROUTERS + "/" + id, Caller.ADMIN);
        assertThat(shown.status()).as("%s", shown).isEqualTo(200);
        return shown.json().path("router");
    }

    private List<JsonNode> list(String query) {
        return items(api.get(ROUTERS + query, Caller.ADMIN), "routers");
    }

    private List<JsonNode> routersOf(String project) {
        return list("?project_id=" + project);
    }
}
