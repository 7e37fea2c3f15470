package dev.netmeter.server.neutron;

import dev.netmeter.api.identity.KeystoneServiceToken;
import dev.netmeter.domain.Router;
import dev.netmeter.server.neutron.NeutronResources.HostedRouter;
import dev.netmeter.server.neutron.NeutronResources.NeutronAgent;
import dev.netmeter.server.neutron.NeutronResources.NeutronPort;
import dev.netmeter.server.neutron.NeutronResources.NeutronRouter;
import dev.netmeter.service.ExternalRouters;
import dev.netmeter.service.ExternalRoutersException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Neutron's routers as netmeter routers. One poll asks Neutron a fixed number of bulk questions, however many
 * routers there are: the routers; the gateway ports; the L3 agents; and, per L3 agent (not per router), the
 * routers it hosts. {@link NeutronRouterMapping} makes them netmeter routers. Thread-safe.
 */
public final class NeutronRouterSource implements ExternalRouters {
    /**
     * Neutron's {@code device_owner} of a router's gateway port ({@code neutron_lib.constants.DEVICE_OWNER_ROUTER_GW}).
     */
    public static final String GATEWAY_PORTS = "/v2.0/ports?device_owner=network:router_gateway";
    /** The L3 agents, as asked. */
    public static final String L3_AGENTS = "/v2.0/agents?agent_type=L3%20agent";

    private final NeutronClient client;

    NeutronRouterSource(NeutronClient client) {
        this.client = client;
    }

    /** A source that reads the Neutron {@code settings} name, as the service user when they say keystone. */
    public static NeutronRouterSource create(NeutronSettings settings, Clock clock) {
        return new NeutronRouterSource(new NeutronClient(settings.url(),
                settings.keystone().map(keystone -> new KeystoneServiceToken(keystone, clock)), settings.timeout()));
    }

    @Override
    public String name() {
        return "neutron";
    }

    @Override
    public String displayName() {
        return "Neutron";
    }

    @Override
    public List<Router> fetchAll() throws ExternalRoutersException {
        List<NeutronRouter> routers = client.list("/v2.0/routers", "routers", NeutronRouter.class);
        List<NeutronPort> gatewayPorts = client.list(GATEWAY_PORTS, "ports", NeutronPort.class);
        List<NeutronAgent> agents = client.list(L3_AGENTS, "agents", NeutronAgent.class);
        Map<String, List<String>> hostedBy = new HashMap<>();
        for (NeutronAgent agent : agents) {
            List<HostedRouter> hosted = client.list("/v2.0/agents/%s/l3-routers".formatted(agent.id()), "routers",
                    HostedRouter.class);
            hostedBy.put(agent.id(), hosted.stream().map(HostedRouter::id).toList());
        }
        return NeutronRouterMapping.map(routers, gatewayPorts, agents, hostedBy);
    }

    /** Requests sent so far (for the bench and the tests of the reading cost). */
    public long requests() {
        return client.requests();
    }
}
