package dev.netmeter.agent.driver.nftables;

import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.nftables.CompiledMetering.DestinationMap;
import dev.netmeter.agent.driver.nftables.CompiledMetering.Key;
import dev.netmeter.agent.driver.nftables.CompiledMetering.LabelSet;
import dev.netmeter.agent.driver.nftables.CompiledMetering.Segment;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.IpVersion;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Renders one router's metering as an nftables table: a pure function of the router, so that the same
 * desired state always gives the same text (checked against golden files).
 *
 * <pre>
 * table inet netmeter {
 *     counter l_&lt;label id&gt;_ingress { }              one per label and direction it has rules for; named by
 *     counter l_&lt;label id&gt;_egress { }               the label and direction, so it outlives updates
 *     chain c_H { counter name "l_…_egress" … }     one per distinct set of labels counting together, per direction
 *     map d_H { type ipv4_addr : verdict; flags interval; elements = { a-b : jump c_H, … } }
 *     chain t_H { ip daddr vmap &#64;d_H }
 *     map src_v4_ingress_H { …; elements = { a-b : jump t_H (or c_H), … } }
 *         (above {@value #CHUNKED_ABOVE} elements: map sm_H { … } chain sc_H { ip saddr vmap &#64;sm_H }, a chunk of
 *         the elements each, and src_v4_ingress_H leads from each chunk's addresses to its chain sc_H)
 *     chain forward { type filter hook forward priority filter + 10; policy accept;
 *         iifname "qg-…" ip saddr vmap &#64;src_v4_ingress_H
 *         oifname "qg-…" iifname != "qg-…" ip saddr vmap &#64;src_v4_egress_H … }
 * }
 * </pre>
 *
 * <p>{@code H} is a digest of the part's content (which names the parts it refers to, so a digest covers
 * everything below it): a part whose content stays keeps its name across updates, and a name not in the table
 * yet is new content. The driver adds only those, switches the base chain to them and deletes what no longer
 * has a name in the desired table ({@link NftablesDriver}).
 *
 * <p>A packet costs two interval lookups (three through a source map cut in chunks) and bumps each counting
 * label's counter of the packet's direction once. A destination map that sends every address to the same labels
 * is skipped: its source intervals jump to the labels at once.
 * A packet that enters and leaves through the external interface counts as ingress only, so that no label
 * counts it twice. Thread-safe (stateless).
 */
public final class NftRuleset {
    /** The table netmeter owns in each router's namespace. */
    public static final String TABLE = "netmeter";
    /** Hex digits of a part's digest in its name: 64 bits, so two contents of one table never share a name. */
    private static final int DIGEST_DIGITS = 16;
    /** Source maps of more segments than this are cut in chunks. */
    static final int CHUNKED_ABOVE = 64;
    /** Segments in a chunk: a power of two, on average, and at the most. */
    private static final int CHUNK_AVERAGE = 16;
    private static final int CHUNK_MOST = 64;

    private NftRuleset() {
    }

    /** The table for {@code router}, as {@code nft -f} reads it. */
    public static String render(RouterMetering router) {
        return table(router).text();
    }

    /** The table for {@code router}, in parts. */
    static NftTable table(RouterMetering router) {
        CompiledMetering compiled = CompiledMetering.compile(router);
        Map<String, NftTable.Part> parts = new LinkedHashMap<>();     // by name
        List<String> countChains = new ArrayList<>();
        Map<LabelCounter, String> counting = new HashMap<>();    // each counter's statement, made once
        for (LabelSet labelSet : compiled.labelSets()) {
            String body = "\t\t" + labelSet.labels().stream().map(label -> counting.computeIfAbsent(
                    LabelCounter.of(label, labelSet.direction()), counter -> "counter name \"" + counterName(counter)
                            + "\"")).collect(Collectors.joining(" ")) + "\n";
            countChains.add(add(parts, NftTable.Kind.CHAIN, "c_", body));
        }
        List<DestinationMap> destinations = compiled.destinationMaps();
        Map<Integer, String> targets = new HashMap<>();     // destination map index → the chain that looks it up
        for (int i = 0; i < destinations.size(); i++) {
            DestinationMap map = destinations.get(i);
            Optional<Integer> straight = jumpsStraightToCount(map);
            if (straight.isPresent()) {
                targets.put(i, countChains.get(straight.get()));
            } else {
                String mapName = add(parts, NftTable.Kind.MAP, "d_", mapBody(map.version(), map.segments(),
                        countChains::get));
                targets.put(i, add(parts, NftTable.Kind.CHAIN, "t_", "\t\t" + field(map.version(), "daddr")
                        + " vmap @" + mapName + "\n"));
            }
        }
        List<String> forward = new ArrayList<>();
        String device = '"' + router.externalInterface() + '"';
        for (Map.Entry<Key, List<Segment>> source : compiled.sources().entrySet()) {
            Key key = source.getKey();
            String mapName = sourceMap(parts, key, source.getValue(), targets::get);
            forward.add((key.direction() == Direction.INGRESS
                    ? "iifname " + device : "oifname " + device + " iifname != " + device)
                    + " " + field(key.version(), "saddr") + " vmap @" + mapName);
        }
        return new NftTable(router.counters().stream().map(NftRuleset::counterName).toList(),
                List.copyOf(parts.values()), forward);
    }

    /**
     * The source map of {@code key}. A large one is cut in chunks, each a map of its own looked up by a chain of
     * its own, and the source map leads from each chunk's addresses to its chain: one lookup more per packet,
     * but a change (to one rule, say) makes new only the chunks it touches and the small map above them, not a
     * map of thousands of elements. A chunk ends where a digest of a segment's last address says so, not at a
     * count of segments, so that segments added or removed move no boundary elsewhere.
     */
    private static String sourceMap(Map<String, NftTable.Part> parts, Key key, List<Segment> segments,
                                    IntFunction<String> targets) {
        String name = sourceMapName(key) + "_";
        if (segments.size() <= CHUNKED_ABOVE) {
            return add(parts, NftTable.Kind.MAP, name, mapBody(key.version(), segments, targets));
        }
        List<Segment> chunks = new ArrayList<>();
        List<String> chunkChains = new ArrayList<>();
        int start = 0;
        for (int end = 1; end <= segments.size(); end++) {
            if (end == segments.size() || end - start == CHUNK_MOST || endsChunk(segments.get(end - 1))) {
                List<Segment> chunk = segments.subList(start, end);
                String chunkMap = add(parts, NftTable.Kind.MAP, "sm_", mapBody(key.version(), chunk, targets));
                chunks.add(new Segment(chunk.getFirst().first(), chunk.getLast().last(), chunkChains.size()));
                chunkChains.add(add(parts, NftTable.Kind.CHAIN, "sc_", "\t\t" + field(key.version(), "saddr")
                        + " vmap @" + chunkMap + "\n"));
                start = end;
            }
        }
        return add(parts, NftTable.Kind.MAP, name, mapBody(key.version(), chunks, chunkChains::get));
    }

    /** Whether a chunk ends after {@code segment}: for about one segment in {@link #CHUNK_AVERAGE}. */
    private static boolean endsChunk(Segment segment) {
        int hash = segment.last().hashCode();       // BigInteger's hash is defined by its value: the same everywhere
        hash = (hash ^ (hash >>> 16)) * 0x7feb352d;
        hash = (hash ^ (hash >>> 15)) * 0x846ca68b;
        return ((hash ^ (hash >>> 16)) & (CHUNK_AVERAGE - 1)) == 0;
    }

    /** Adds a part named {@code prefix} and the digest of {@code body}, unless an equal one is there; its name. */
    private static String add(Map<String, NftTable.Part> parts, NftTable.Kind kind, String prefix, String body) {
        String name = prefix + digest(body);
        parts.putIfAbsent(name, new NftTable.Part(kind, name, body));
        return name;
    }

    private static String digest(String content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, DIGEST_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The name of a label's counter in the table: {@code l_}, the label id's 32 hex digits, and {@code _ingress} or
     * {@code _egress}; nothing after the digits for the direction-less counter of an agent before issue 17.
     */
    public static String counterName(LabelCounter counter) {
        return "l_" + counter.label().toString().replace("-", "")
                + counter.direction().map(direction -> "_" + direction.wireName()).orElse("");
    }

    /** If every destination leads to one label set, its index: the map can be skipped. */
    private static Optional<Integer> jumpsStraightToCount(DestinationMap map) {
        List<Segment> segments = map.segments();
        boolean everything = segments.size() == 1 && segments.getFirst().first().signum() == 0
                && segments.getFirst().last()
                        .equals(BigInteger.ONE.shiftLeft(map.version().bits()).subtract(BigInteger.ONE));
        return everything ? Optional.of(segments.getFirst().target()) : Optional.empty();
    }

    /** The body of an interval verdict map whose segments' targets are the chains {@code chain} names. */
    private static String mapBody(IpVersion version, List<Segment> segments, IntFunction<String> chain) {
        StringBuilder body = new StringBuilder("\t\ttype ").append(version == IpVersion.V4 ? "ipv4_addr" : "ipv6_addr")
                .append(" : verdict\n\t\tflags interval\n\t\telements = { ");
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            body.append(i == 0 ? "" : ",\n\t\t\t     ").append(address(version, segment.first()));
            if (!segment.first().equals(segment.last())) {
                body.append('-').append(address(version, segment.last()));
            }
            body.append(" : jump ").append(chain.apply(segment.target()));
        }
        return body.append(" }\n").toString();
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
