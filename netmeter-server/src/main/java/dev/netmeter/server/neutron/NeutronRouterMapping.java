package dev.netmeter.server.neutron;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RouterStatus;
import dev.netmeter.server.neutron.NeutronResources.NeutronAgent;
import dev.netmeter.server.neutron.NeutronResources.NeutronPort;
import dev.netmeter.server.neutron.NeutronResources.NeutronRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What netmeter meters of each Neutron router: a pure function of Neutron's answers.
 *
 * <ul>
 *   <li>Only a router with an external gateway (and its gateway port) is metered, as Neutron's metering
 *       agent meters the gateway device only. Same id, name, description and project. A router that is
 *       disabled ({@code admin_state_up} false) is kept, disabled, so agents stop metering it.</li>
 *   <li>Legacy and HA routers: namespace {@code qrouter-<id>}, device {@code qg-} + the first 11 characters of
 *       the gateway port's id ({@code neutron/agent/l3/router_info.py get_external_device_name}). Host: the L3
 *       agent's that hosts it, when one does; for an HA router, hosted by several, the gateway port's
 *       {@code binding:host_id}, which Neutron keeps on the host of the active instance
 *       ({@code neutron/db/l3_hamode_db.py _update_router_port_bindings}); with no agent, the same.</li>
 *   <li>DVR routers: the centralized SNAT part, where the gateway device lives: namespace {@code snat-<id>} on
 *       the host of the {@code dvr_snat} agent that hosts it ({@code neutron/agent/l3/dvr_snat_ns.py}), else the
 *       gateway port's host. Floating-IP traffic that leaves compute nodes through {@code fip-}/{@code rfp-}
 *       devices never crosses that device and is not metered.</li>
 *   <li>A router netmeter cannot place (no host known, a name Linux would refuse) is left out and logged.</li>
 * </ul>
 */
final class NeutronRouterMapping {
    private static final Logger LOG = LoggerFactory.getLogger(NeutronRouterMapping.class);
    static final String SNAT_NAMESPACE_PREFIX = "snat-";
    static final String GATEWAY_DEVICE_PREFIX = "qg-";
    /** Neutron cuts device names to 14 characters: the prefix and the start of the port id. */
    static final int DEVICE_ID_CHARACTERS = 11;

    private NeutronRouterMapping() {
    }

    /**
     * @param hostedBy for each L3 agent id, the ids of the routers it hosts
     */
    static List<Router> map(List<NeutronRouter> routers, List<NeutronPort> gatewayPorts, List<NeutronAgent> agents,
                            Map<String, List<String>> hostedBy) {
        Map<String, NeutronPort> gatewayOf = new HashMap<>();
        gatewayPorts.forEach(port -> gatewayOf.put(port.deviceId(), port));
        Map<String, List<NeutronAgent>> agentsOf = new HashMap<>();
        for (NeutronAgent agent : agents) {
            for (String router : hostedBy.getOrDefault(agent.id(), List.of())) {
                agentsOf.computeIfAbsent(router, any -> new ArrayList<>()).add(agent);
            }
        }
        List<Router> mapped = new ArrayList<>();
        for (NeutronRouter router : routers) {
            NeutronPort gateway = gatewayOf.get(router.id());
            if (router.externalGatewayInfo() == null || gateway == null) {
                continue;   // no external traffic to meter
            }
            map(router, gateway, agentsOf.getOrDefault(router.id(), List.of())).ifPresent(mapped::add);
        }
        return mapped;
    }

    private static Optional<Router> map(NeutronRouter router, NeutronPort gateway, List<NeutronAgent> agents) {
        Optional<RouterId> id = RouterId.parse(router.id());
        String host = host(router, gateway, agents);
        if (id.isEmpty() || host.isEmpty()) {
            LOG.debug("Neutron router {} is not metered: {}", router.id(), id.isEmpty() ? "its id is not a UUID"
                    : "no L3 agent hosts it and its gateway port is bound to no host");
            return Optional.empty();
        }
        String namespace = (router.isDistributed() ? SNAT_NAMESPACE_PREFIX : Router.NAMESPACE_PREFIX) + router.id();
        String device = GATEWAY_DEVICE_PREFIX
                + gateway.id().substring(0, Math.min(DEVICE_ID_CHARACTERS, gateway.id().length()));
        try {
            return Optional.of(new Router(id.get(), new ProjectId(router.project()), router.name(),
                    router.description() == null ? "" : router.description(), router.adminStateUp(),
                    RouterStatus.ACTIVE, host, router.isDistributed(), namespace, device));
        } catch (IllegalArgumentException e) {
            LOG.warn("Neutron router {} is not metered: {}", router.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String host(NeutronRouter router, NeutronPort gateway, List<NeutronAgent> agents) {
        List<NeutronAgent> candidates = router.isDistributed()
                ? agents.stream().filter(agent -> "dvr_snat".equals(agent.agentMode())).toList()
                : agents;
        if (candidates.size() == 1) {
            return candidates.getFirst().host();
        }
        // HA (several agents) or none: Neutron binds the gateway port to the active instance's host.
        return gateway.host();
    }
}
