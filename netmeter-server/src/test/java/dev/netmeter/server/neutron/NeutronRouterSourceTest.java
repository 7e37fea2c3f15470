package dev.netmeter.server.neutron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.netmeter.server.neutron.NeutronAnswers.agent;
import static dev.netmeter.server.neutron.NeutronAnswers.gatewayPort;
import static dev.netmeter.server.neutron.NeutronAnswers.list;
import static dev.netmeter.server.neutron.NeutronAnswers.router;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RouterStatus;
import dev.netmeter.service.ExternalRoutersException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NeutronRouterSource} against recorded Neutron answers served over real HTTP: what each kind of Neutron
 * router becomes (legacy on an L3 agent, HA, DVR with centralized SNAT, no agent), what is left out, and what
 * a broken answer does. The routers and gateway ports are shaped as the real Neutron 21 answers them (see
 * {@code real-*.json}, recorded from it), agents as it answers them; {@code NeutronFollowingIT} runs the same
 * cases against the real Neutron.
 */
class NeutronRouterSourceTest {
    private static final String ROUTERS = "/v2.0/routers";
    private RecordedNeutron neutron;
    private NeutronRouterSource source;

    @BeforeEach
    void start() {
        neutron = RecordedNeutron.start(Duration.ZERO);
        source = new NeutronRouterSource(new NeutronClient(neutron.url(), Optional.empty(), Duration.ofSeconds(5)));
        neutron.answer(NeutronRouterSource.L3_AGENTS, "{\"agents\": []}");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Router expected(String id, String name, String project, boolean up, String host,
                                   boolean distributed, String namespace, String port) {
        return new Router(new RouterId(UUID.fromString(id)), new ProjectId(project), name, "about " + name, up,
                RouterStatus.ACTIVE, host, distributed, namespace, "qg-" + port.substring(0, 11));
    }

    @Test
    void a_router_on_one_l3_agent_is_metered_on_that_agents_host_in_qrouter_through_its_qg_device() throws Exception {
        String router = id();
        String port = id();
        String agent = id();
        neutron.answer(ROUTERS, list("routers", router(router, "r1", "tenant1", true, true, false, false)))
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(port, router, "")))
                .answer(NeutronRouterSource.L3_AGENTS, list("agents", agent(agent, "net-1", "legacy")))
                .answer("/v2.0/agents/%s/l3-routers".formatted(agent),
                        list("routers", router(router, "r1", "tenant1", true, true, false, false)));

        assertThat(source.fetchAll()).containsExactly(
                expected(router, "r1", "tenant1", true, "net-1", false, "qrouter-" + router, port));
    }

    @Test
    void an_ha_router_is_metered_where_its_active_instance_is_the_host_neutron_binds_its_gateway_port_to()
            throws Exception {
        String router = id();
        String port = id();
        String standby = id();
        String active = id();
        String hosted = list("routers", router(router, "ha", "tenant1", true, true, false, true));
        neutron.answer(ROUTERS, hosted)
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(port, router, "net-2")))
                .answer(NeutronRouterSource.L3_AGENTS, list("agents", agent(standby, "net-1", "legacy"),
                        agent(active, "net-2", "legacy")))
                .answer("/v2.0/agents/%s/l3-routers".formatted(standby), hosted)
                .answer("/v2.0/agents/%s/l3-routers".formatted(active), hosted);

        assertThat(source.fetchAll()).containsExactly(
                expected(router, "ha", "tenant1", true, "net-2", false, "qrouter-" + router, port));
    }

    @Test
    void a_dvr_router_is_metered_in_its_snat_namespace_on_the_dvr_snat_host_not_on_compute_nodes() throws Exception {
        String router = id();
        String port = id();
        String compute1 = id();
        String snat = id();
        String compute2 = id();
        String hosted = list("routers", router(router, "dvr", "tenant1", true, true, true, false));
        neutron.answer(ROUTERS, hosted)
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(port, router, "net-1")))
                .answer(NeutronRouterSource.L3_AGENTS, list("agents", agent(compute1, "compute-1", "dvr"),
                        agent(snat, "net-1", "dvr_snat"), agent(compute2, "compute-2", "dvr")))
                .answer("/v2.0/agents/%s/l3-routers".formatted(compute1), hosted)
                .answer("/v2.0/agents/%s/l3-routers".formatted(snat), hosted)
                .answer("/v2.0/agents/%s/l3-routers".formatted(compute2), hosted);

        assertThat(source.fetchAll()).containsExactly(
                expected(router, "dvr", "tenant1", true, "net-1", true, "snat-" + router, port));
    }

    @Test
    void without_an_agent_the_gateway_ports_host_decides_and_an_unbound_router_is_left_out() throws Exception {
        String bound = id();
        String boundPort = id();
        String unbound = id();
        neutron.answer(ROUTERS, list("routers", router(bound, "bound", "tenant1", true, true, false, false),
                        router(unbound, "unbound", "tenant1", true, true, false, false)))
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(boundPort, bound, "net-7"),
                        gatewayPort(id(), unbound, "")));

        assertThat(source.fetchAll()).containsExactly(
                expected(bound, "bound", "tenant1", true, "net-7", false, "qrouter-" + bound, boundPort));
    }

    @Test
    void a_router_without_gateway_is_left_out_and_a_disabled_one_is_kept_disabled() throws Exception {
        String disabled = id();
        String port = id();
        neutron.answer(ROUTERS, list("routers", router(id(), "internal", "tenant1", true, false, false, false),
                        router(disabled, "off", "tenant2", false, true, false, false)))
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(port, disabled, "net-1")));

        assertThat(source.fetchAll()).containsExactly(
                expected(disabled, "off", "tenant2", false, "net-1", false, "qrouter-" + disabled, port));
    }

    @Test
    void the_answers_recorded_from_the_real_neutron_give_its_router_once_its_gateway_port_is_bound()
            throws Exception {
        neutron.answer(ROUTERS, resource("real-routers.json"))
                .answer(NeutronRouterSource.GATEWAY_PORTS, resource("real-gateway-ports.json"));
        assertThat(source.fetchAll()).as("the recorded gateway port is bound to no host").isEmpty();

        neutron.answer(NeutronRouterSource.GATEWAY_PORTS,
                resource("real-gateway-ports.json")
                        .replace("\"binding:host_id\": \"\"", "\"binding:host_id\": \"net-1\""));
        assertThat(source.fetchAll()).containsExactly(new Router(
                new RouterId(UUID.fromString("51ad79c3-6f34-4a6b-a56d-ba1cd1aab07c")), new ProjectId("tenant1"), "r1",
                "", true, RouterStatus.ACTIVE, "net-1", false, "qrouter-51ad79c3-6f34-4a6b-a56d-ba1cd1aab07c",
                "qg-3a2ea5da-8c"));
    }

    @Test
    void a_poll_costs_three_requests_and_one_per_l3_agent_however_many_routers() throws Exception {
        StringBuilder routers = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String router = id();
            routers.append(i == 0 ? "" : ",").append(router(router, "r" + i, "p", true, true, false, false));
            ports.append(i == 0 ? "" : ",").append(gatewayPort(id(), router, "net-" + (i % 3)));
        }
        String agent1 = id();
        String agent2 = id();
        neutron.answer(ROUTERS, "{\"routers\": [" + routers + "]}")
                .answer(NeutronRouterSource.GATEWAY_PORTS, "{\"ports\": [" + ports + "]}")
                .answer(NeutronRouterSource.L3_AGENTS, list("agents", agent(agent1, "net-1", "legacy"),
                        agent(agent2, "net-2", "legacy")))
                .answer("/v2.0/agents/%s/l3-routers".formatted(agent1), "{\"routers\": []}")
                .answer("/v2.0/agents/%s/l3-routers".formatted(agent2), "{\"routers\": []}");

        assertThat(source.fetchAll()).hasSize(200);
        assertThat(neutron.requests()).isEqualTo(5);
        assertThat(source.requests()).isEqualTo(5);
    }

    @Test
    void a_paged_answer_is_read_to_its_last_page() throws Exception {
        String first = id();
        String second = id();
        neutron.answer(ROUTERS, """
                        {"routers": [%s], "routers_links": [{"rel": "next",
                         "href": "http://controller:9696/v2.0/routers?limit=1&marker=%s"}]}"""
                        .formatted(router(first, "a", "p", true, true, false, false), first))
                .answer("/v2.0/routers?limit=1&marker=" + first, """
                        {"routers": [%s], "routers_links": [{"rel": "previous",
                         "href": "http://controller:9696/v2.0/routers?limit=1&marker=%s&page_reverse=True"}]}"""
                        .formatted(router(second, "b", "p", true, true, false, false), second))
                .answer(NeutronRouterSource.GATEWAY_PORTS, list("ports", gatewayPort(id(), first, "net-1"),
                        gatewayPort(id(), second, "net-1")));

        assertThat(source.fetchAll()).extracting(Router::name).containsExactly("a", "b");
    }

    @Test
    void an_error_status_a_body_that_is_no_list_or_an_item_without_a_required_attribute_fails_the_poll() {
        neutron.answer(ROUTERS, 500, "{\"NeutronError\": {}}");
        assertThatThrownBy(source::fetchAll).isInstanceOf(ExternalRoutersException.class)
                .hasMessage("Neutron answered 500 to GET /v2.0/routers");

        neutron.answer(ROUTERS, 403, "{}");
        assertThatThrownBy(source::fetchAll).hasMessageContaining("403").hasMessageContaining("admin role");

        neutron.answer(ROUTERS, "{\"networks\": []}");
        assertThatThrownBy(source::fetchAll).hasMessage("Neutron's answer to GET /v2.0/routers has no 'routers' list");

        neutron.answer(ROUTERS, "{\"routers\": [{\"id\": \"%s\", \"name\": \"r\"}]}".formatted(id()));
        assertThatThrownBy(source::fetchAll).hasMessageContaining("cannot read")
                .hasMessageContaining("admin_state_up");
    }

    @Test
    void an_unreachable_neutron_fails_the_poll() {
        var unreachable = new NeutronRouterSource(new NeutronClient(neutron.url(), Optional.empty(),
                Duration.ofSeconds(5)));
        neutron.close();
        assertThatThrownBy(unreachable::fetchAll).isInstanceOf(ExternalRoutersException.class)
                .hasMessageStartingWith("cannot reach Neutron at " + neutron.url());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = NeutronRouterSourceTest.class.getResourceAsStream("/neutron/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
