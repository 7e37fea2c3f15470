package dev.netmeter.server.neutron;

/**
 * Neutron's answers as JSON text, shaped as the real Neutron 21 answers (routers, gateway ports: see
 * {@code real-*.json}) or as its API reference shows them (agents).
 */
public final class NeutronAnswers {
    private NeutronAnswers() {
    }

    /** A router; {@code gateway}: with an external gateway; its description is "about NAME". */
    public static String router(String id, String name, String project, boolean up, boolean gateway,
                                boolean distributed, boolean ha) {
        return """
                {"id": "%s", "name": "%s", "tenant_id": "%s", "admin_state_up": %s, "status": "ACTIVE",
                 "external_gateway_info": %s, "description": "about %s", "availability_zones": [],
                 "distributed": %s, "ha": %s, "routes": [], "flavor_id": null, "tags": [], "revision_number": 3,
                 "project_id": "%s"}""".formatted(id, name, project, up,
                gateway ? "{\"network_id\": \"925691c4-6a64-4f83-84d9-3269abcd36c9\", \"external_fixed_ips\": [], "
                        + "\"enable_snat\": true}" : "null", name, distributed, ha, project);
    }

    public static String gatewayPort(String id, String router, String host) {
        return """
                {"id": "%s", "name": "", "network_id": "925691c4-6a64-4f83-84d9-3269abcd36c9", "tenant_id": "",
                 "admin_state_up": true, "status": "ACTIVE", "device_id": "%s",
                 "device_owner": "network:router_gateway", "fixed_ips": [], "binding:vnic_type": "normal",
                 "binding:host_id": "%s", "binding:vif_type": "ovs", "project_id": ""}""".formatted(id, router, host);
    }

    public static String agent(String id, String host, String mode) {
        return """
                {"id": "%s", "agent_type": "L3 agent", "binary": "neutron-l3-agent", "topic": "l3_agent",
                 "host": "%s", "admin_state_up": true, "alive": true, "availability_zone": "nova",
                 "configurations": {"agent_mode": "%s", "routers": 1, "gateway_external_network_id": ""}}"""
                .formatted(id, host, mode);
    }

    public static String list(String collection, String... items) {
        return "{\"%s\": [%s]}".formatted(collection, String.join(",", items));
    }
}
