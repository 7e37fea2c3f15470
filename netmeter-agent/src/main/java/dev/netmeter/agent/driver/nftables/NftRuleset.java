package dev.netmeter.agent.driver.nftables;

import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.nftables.CompiledMetering.DestinationMap;
import dev.netmeter.agent.driver.nftables.CompiledMetering.Key;
import dev.netmeter.agent.driver.nftables.CompiledMetering.Segment;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.IpVersion;
import dev.netmeter.domain.LabelId;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders one router's metering as an nftables table: a pure function of the router, so that the same
 * desired state always gives the same text (checked against golden files).
 *
 * <pre>
 * table inet netmeter {
 *     counter l_&lt;label id&gt; { }                      one per label; named by the label, so it outlives updates
 *     chain count_N { counter name "l_…" … }        one per distinct set of labels counting together
 *     map dst_N { type ipv4_addr : verdict; flags interval; elements = { a-b : jump count_M, … } }
 *     chain to_dst_N { ip daddr vmap &#64;dst_N }
 *     map src_v4_ingress { …; elements = { a-b : jump to_dst_N (or count_M), … } }
 *     chain forward { type filter hook forward priority filter + 10; policy accept;
 *         iifname "qg-…" ip saddr vmap &#64;src_v4_ingress
 *         oifname "qg-…" iifname != "qg-…" ip saddr vmap &#64;src_v4_egress … }
 * }
 * </pre>
 *
 * <p>A packet costs two interval lookups and bumps each counting label's counter once. A destination map
 * that sends every address to the same labels is skipped: its source intervals jump to the labels at once.
 * A packet that enters and leaves through the external interface counts as ingress only, so that no label
 * counts it twice. Thread-safe (stateless).
 */
public final class NftRuleset {
    /** The table netmeter owns in each router's namespace. */
    public static final String TABLE = "netmeter";

    private NftRuleset() {
    }

    /** The table for {@code router}, as {@code nft -f} reads it. */
    public static String render(RouterMetering router) {
        return render(router, CompiledMetering.compile(router));
    }

    static String render(RouterMetering router, CompiledMetering compiled) {
        StringBuilder nft = new StringBuilder("table inet ").append(TABLE).append(" {\n");
        for (LabelId label : compiled.labels()) {
            nft.append("\tcounter ").append(counterName(label)).append(" {\n\t}\n");
        }
        List<List<LabelId>> labelSets = compiled.labelSets();
        for (int i = 0; i < labelSets.size(); i++) {
            nft.append("\tchain count_").append(i).append(" {\n\t\t")
                    .append(labelSets.get(i).stream().map(label -> "counter name \"" + counterName(label) + "\"")
                            .collect(Collectors.joining(" ")))
                    .append("\n\t}\n");
        }
        List<DestinationMap> destinations = compiled.destinationMaps();
        for (int i = 0; i < destinations.size(); i++) {
            DestinationMap map = destinations.get(i);
            if (jumpsStraightToCount(map).isEmpty()) {
                appendMap(nft, "dst_" + i, map.version(), map.segments(), "count_");
                nft.append("\tchain to_dst_").append(i).append(" {\n\t\t").append(field(map.version(), "daddr"))
                        .append(" vmap @dst_").append(i).append("\n\t}\n");
            }
        }
        for (Map.Entry<Key, List<Segment>> source : compiled.sources().entrySet()) {
            List<Segment> elements = source.getValue().stream().map(segment -> jumpsStraightToCount(
                    destinations.get(segment.target()))
                    .map(count -> new Segment(segment.first(), segment.last(), -1 - count))
                    .orElse(segment)).toList();
            appendMap(nft, sourceMapName(source.getKey()), source.getKey().version(), elements, "to_dst_");
        }
        String device = '"' + router.externalInterface() + '"';
        nft.append("\tchain forward {\n\t\ttype filter hook forward priority filter + 10; policy accept;\n");
        for (Key key : compiled.sources().keySet()) {
            nft.append("\t\t").append(key.direction() == Direction.INGRESS
                            ? "iifname " + device : "oifname " + device + " iifname != " + device)
                    .append(' ').append(field(key.version(), "saddr")).append(" vmap @")
                    .append(sourceMapName(key)).append('\n');
        }
        return nft.append("\t}\n}\n").toString();
    }

    /** The name of a label's counter in the table: {@code l_} and the id's 32 hex digits. */
    public static String counterName(LabelId label) {
        return "l_" + label.toString().replace("-", "");
    }

    /** If every destination leads to one label set, its index: the map can be skipped. */
    private static Optional<Integer> jumpsStraightToCount(DestinationMap map) {
        List<Segment> segments = map.segments();
        boolean everything = segments.size() == 1 && segments.getFirst().first().signum() == 0
                && segments.getFirst().last().equals(BigInteger.ONE.shiftLeft(map.version().bits()).subtract(BigInteger.ONE));
        return everything ? Optional.of(segments.getFirst().target()) : Optional.empty();
    }

    /**
     * An interval verdict map. A segment's target is the index of a chain named {@code prefix + target};
     * a negative target {@code -1 - n} is the label-set chain {@code count_n}.
     */
    private static void appendMap(StringBuilder nft, String name, IpVersion version, List<Segment> segments,
                                  String prefix) {
        nft.append("\tmap ").append(name).append(" {\n\t\ttype ").append(version == IpVersion.V4 ? "ipv4_addr" : "ipv6_addr")
                .append(" : verdict\n\t\tflags interval\n\t\telements = { ");
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            nft.append(i == 0 ? "" : ",\n\t\t\t     ").append(address(version, segment.first()));
            if (!segment.first().equals(segment.last())) {
                nft.append('-').append(address(version, segment.last()));
            }
            nft.append(" : jump ").append(segment.target() < 0 ? "count_" + (-1 - segment.target())
                    : prefix + segment.target());
        }
        nft.append(" }\n\t}\n");
    }

    private static String sourceMapName(Key key) {
        return "src_v" + key.version().number() + "_" + key.direction().wireName();
    }

    private static String field(IpVersion version, String which) {
        return (version == IpVersion.V4 ? "ip " : "ip6 ") + which;
    }

    private static String address(IpVersion version, BigInteger value) {
        return version == IpVersion.V4 ? new IPv4Address(value.intValue()).toString()
                : new IPv6Address(value).toCompressedString();
    }
}
