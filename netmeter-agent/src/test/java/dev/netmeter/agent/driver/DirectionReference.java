package dev.netmeter.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.domain.Direction;
import java.util.EnumMap;
import java.util.Map;

/**
 * A reference table for tests with traffic: every packet the router forwards, counted by the direction it crossed
 * the external interface ({@link RouterTopology#EXTERNAL_INTERFACE}), on the same hook after netmeter's chain,
 * and never rewritten.
 */
public final class DirectionReference {
    /** The table, as {@code nft -f} reads it. */
    public static final String TABLE = """
            table inet reference {
             counter ingress {
             }
             counter egress {
             }
             chain forward {
              type filter hook forward priority filter + 20; policy accept;
              iifname "%1$s" counter name "ingress"
              oifname "%1$s" iifname != "%1$s" counter name "egress"
             }
            }
            """.formatted(RouterTopology.EXTERNAL_INTERFACE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private DirectionReference() {
    }

    /** The reference counters in {@code router}, by direction. */
    public static Map<Direction, TrafficCounter> read(NetworkNamespace router) throws Exception {
        JsonNode listed = JSON.readTree(router.execOrFail("nft", "-j", "list", "counters", "table", "inet",
                "reference"));
        Map<Direction, TrafficCounter> counters = new EnumMap<>(Direction.class);
        for (JsonNode item : listed.path("nftables")) {
            JsonNode counter = item.path("counter");
            if (counter.isObject()) {
                counters.put(Direction.fromWire(counter.path("name").asText()).orElseThrow(),
                        new TrafficCounter(counter.path("packets").asLong(), counter.path("bytes").asLong()));
            }
        }
        return counters;
    }
}
