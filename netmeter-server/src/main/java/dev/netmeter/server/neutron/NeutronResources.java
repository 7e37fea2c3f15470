package dev.netmeter.server.neutron;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of Neutron's answers that netmeter reads, bound as records: a missing required attribute fails
 * the poll instead of becoming an empty value (neutron-lib {@code api/definitions/l3.py}, {@code portbindings.py},
 * {@code agent.py}).
 */
final class NeutronResources {
    private NeutronResources() {
    }

    /** {@code GET /v2.0/routers}, one item. {@code distributed} and {@code ha} are shown to admins only. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NeutronRouter(@JsonProperty(value = "id", required = true) String id,
                         @JsonProperty(value = "name", required = true) String name,
                         @JsonProperty("description") String description,
                         @JsonProperty("project_id") String projectId,
                         @JsonProperty("tenant_id") String tenantId,
                         @JsonProperty(value = "admin_state_up", required = true) boolean adminStateUp,
                         @JsonProperty("external_gateway_info") GatewayInfo externalGatewayInfo,
                         @JsonProperty("distributed") Boolean distributed,
                         @JsonProperty("ha") Boolean ha) {
        String project() {
            return projectId != null ? projectId : tenantId == null ? "" : tenantId;
        }

        boolean isDistributed() {
            return Boolean.TRUE.equals(distributed);
        }
    }

    /** A router's {@code external_gateway_info}: null when it has no gateway. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GatewayInfo(@JsonProperty(value = "network_id", required = true) String networkId) {
    }

    /** {@code GET /v2.0/ports?device_owner=network:router_gateway}, one item. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NeutronPort(@JsonProperty(value = "id", required = true) String id,
                       @JsonProperty(value = "device_id", required = true) String deviceId,
                       @JsonProperty("binding:host_id") String bindingHostId) {
        String host() {
            return bindingHostId == null ? "" : bindingHostId;
        }
    }

    /** {@code GET /v2.0/agents?agent_type=L3 agent}, one item. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NeutronAgent(@JsonProperty(value = "id", required = true) String id,
                        @JsonProperty(value = "host", required = true) String host,
                        @JsonProperty("configurations") AgentConfigurations configurations) {
        /** {@code legacy}, {@code dvr}, {@code dvr_snat} or {@code dvr_no_external}; legacy when not said. */
        String agentMode() {
            return configurations == null || configurations.agentMode() == null ? "legacy"
                    : configurations.agentMode();
        }
    }

    /** An L3 agent's {@code configurations}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentConfigurations(@JsonProperty("agent_mode") String agentMode) {
    }

    /** {@code GET /v2.0/agents/{id}/l3-routers}, one item: only which router. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostedRouter(@JsonProperty(value = "id", required = true) String id) {
    }
}
