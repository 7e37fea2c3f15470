package dev.netmeter.agent.driver.nftables;

import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.Packet;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.IpVersion;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A router's rules compiled so that a packet costs two interval-map lookups, whatever the number of rules:
 * for each IP version and direction, the source addresses are cut into elementary intervals, each leading
 * to a destination map, whose elementary intervals each lead to the set of labels that count there (some
 * included rule of the label covers the point, no excluded one does), in that direction: a label set is one
 * direction's, since each label counts each direction in a counter of its own. Equal destination maps and equal
 * label sets are shared. nftables gets this as interval verdict maps ({@link NftRuleset}); the same
 * structure answers {@link #labelsCounting} in Java, which tests compare with {@link
 * dev.netmeter.agent.driver.MeteringSemantics} on random packets.
 *
 * <p>Immutable and deterministic: the same input gives the same structure, in the same order.
 */
final class CompiledMetering {
    /** One IP version and direction: one source map in the data plane. */
    record Key(IpVersion version, Direction direction) {
    }

    /** Addresses {@code first} to {@code last}, both included, leading to {@code target}. */
    record Segment(BigInteger first, BigInteger last, int target) {
    }

    /**
     * Labels that count a packet together, in one direction: each bumps its counter of that direction, so a
     * label with rules in both directions has two counters, and still counts a packet once.
     */
    record LabelSet(Direction direction, List<LabelId> labels) {
        LabelSet {
            labels = List.copyOf(labels);
        }
    }

    /** Destination intervals, each leading to a label set (an index into {@link #labelSets}). */
    record DestinationMap(IpVersion version, List<Segment> segments) {
        DestinationMap {
            segments = List.copyOf(segments);
        }
    }

    /** A rule as a box in (source, destination) space. */
    private record Box(int label, boolean excluded, BigInteger sourceFirst, BigInteger sourceLast,
                       BigInteger destinationFirst, BigInteger destinationLast) {
    }

    private final List<LabelId> labels;
    private final Map<Key, List<Segment>> sources;
    private final List<DestinationMap> destinationMaps;
    private final List<LabelSet> labelSets;

    private CompiledMetering(List<LabelId> labels, Map<Key, List<Segment>> sources,
                             List<DestinationMap> destinationMaps, List<LabelSet> labelSets) {
        this.labels = List.copyOf(labels);
        this.sources = sources;
        this.destinationMaps = List.copyOf(destinationMaps);
        this.labelSets = List.copyOf(labelSets);
    }

    static CompiledMetering compile(RouterMetering router) {
        return new Compiler(router).compile();
    }

    /** Every label of the router, in the router's order. */
    List<LabelId> labels() {
        return labels;
    }

    /** The source segments of each version and direction that count anything, by address; absent if none. */
    Map<Key, List<Segment>> sources() {
        return sources;
    }

    List<DestinationMap> destinationMaps() {
        return destinationMaps;
    }

    /** Each distinct set of labels that count a packet together, with the direction they count it in. */
    List<LabelSet> labelSets() {
        return labelSets;
    }

    /** The labels that count {@code packet}, by looking it up as the data plane does. */
    Set<LabelId> labelsCounting(Packet packet) {
        List<Segment> bySource = sources.getOrDefault(new Key(packet.version(), packet.direction()), List.of());
        return find(bySource, packet.source())
                .flatMap(source -> find(destinationMaps.get(source.target()).segments(), packet.destination()))
                .map(destination -> (Set<LabelId>) new LinkedHashSet<>(labelSets.get(destination.target()).labels()))
                .orElse(Set.of());
    }

    private static Optional<Segment> find(List<Segment> segments, BigInteger address) {
        int low = 0;
        int high = segments.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Segment segment = segments.get(middle);
            if (address.compareTo(segment.first()) < 0) {
                high = middle - 1;
            } else if (address.compareTo(segment.last()) > 0) {
                low = middle + 1;
            } else {
                return Optional.of(segment);
            }
        }
        return Optional.empty();
    }

    /** One compilation: the memo tables live as long as it does. */
    private static final class Compiler {
        private final RouterMetering router;
        private final List<LabelId> labels;
        private final Map<DestinationMap, Integer> destinationMaps = new LinkedHashMap<>();
        private final Map<LabelSet, Integer> labelSets = new LinkedHashMap<>();

        Compiler(RouterMetering router) {
            this.router = router;
            this.labels = router.labels().stream().map(LabelMetering::label).toList();
        }

        CompiledMetering compile() {
            Map<Key, List<Segment>> sources = new LinkedHashMap<>();
            for (IpVersion version : IpVersion.values()) {
                for (Direction direction : Direction.values()) {
                    List<Box> boxes = boxes(version, direction);
                    if (!boxes.isEmpty()) {
                        List<Segment> segments = sourceSegments(new Key(version, direction), boxes);
                        if (!segments.isEmpty()) {
                            sources.put(new Key(version, direction), List.copyOf(segments));
                        }
                    }
                }
            }
            return new CompiledMetering(labels, sources, List.copyOf(destinationMaps.keySet()),
                    List.copyOf(labelSets.keySet()));
        }

        private List<Box> boxes(IpVersion version, Direction direction) {
            BigInteger everything = last(version);
            List<Box> boxes = new ArrayList<>();
            for (int label = 0; label < router.labels().size(); label++) {
                for (MeteringLabelRule rule : router.labels().get(label).rules()) {
                    if (rule.direction() != direction || version(rule) != version) {
                        continue;
                    }
                    Optional<Cidr> source = rule.sourceIpPrefix();
                    Optional<Cidr> destination = rule.destinationIpPrefix();
                    if (rule.remoteIpPrefix().isPresent()) {   // Neutron: -d with -i, -s with -o
                        source = direction == Direction.EGRESS ? rule.remoteIpPrefix() : Optional.empty();
                        destination = direction == Direction.INGRESS ? rule.remoteIpPrefix() : Optional.empty();
                    }
                    boxes.add(new Box(label, rule.excluded(),
                            source.map(Cidr::first).orElse(BigInteger.ZERO), source.map(Cidr::last).orElse(everything),
                            destination.map(Cidr::first).orElse(BigInteger.ZERO),
                            destination.map(Cidr::last).orElse(everything)));
                }
            }
            return boxes;
        }

        /** Cuts the source space where a box starts or ends; a run of equal outcomes is one segment. */
        private List<Segment> sourceSegments(Key key, List<Box> boxes) {
            IpVersion version = key.version();
            TreeMap<BigInteger, List<Integer>> starts = new TreeMap<>();
            TreeMap<BigInteger, List<Integer>> ends = new TreeMap<>();     // keyed by the first address after
            for (int i = 0; i < boxes.size(); i++) {
                starts.computeIfAbsent(boxes.get(i).sourceFirst(), point -> new ArrayList<>()).add(i);
                ends.computeIfAbsent(boxes.get(i).sourceLast().add(BigInteger.ONE), point -> new ArrayList<>()).add(i);
            }
            TreeSet<BigInteger> points = new TreeSet<>(starts.keySet());
            points.addAll(ends.keySet());
            Map<BitSet, Integer> outcomeOf = new HashMap<>();
            BitSet active = new BitSet(boxes.size());
            List<Segment> segments = new ArrayList<>();
            for (BigInteger point : points) {
                ends.getOrDefault(point, List.of()).forEach(active::clear);
                starts.getOrDefault(point, List.of()).forEach(active::set);
                BigInteger next = points.higher(point);
                BigInteger last = next == null ? last(version) : next.subtract(BigInteger.ONE);
                if (active.isEmpty() || point.compareTo(last(version)) > 0) {
                    continue;
                }
                int target = outcomeOf.computeIfAbsent((BitSet) active.clone(),
                        set -> destinationMap(key, boxes, set));
                if (target >= 0) {
                    append(segments, new Segment(point, last, target));
                }
            }
            return segments;
        }

        /** The destination map of the boxes in {@code active}, or -1 if it counts nothing anywhere. */
        private int destinationMap(Key source, List<Box> boxes, BitSet active) {
            IpVersion version = source.version();
            TreeMap<BigInteger, List<Box>> starts = new TreeMap<>();
            TreeMap<BigInteger, List<Box>> ends = new TreeMap<>();
            active.stream().mapToObj(boxes::get).forEach(box -> {
                starts.computeIfAbsent(box.destinationFirst(), point -> new ArrayList<>()).add(box);
                ends.computeIfAbsent(box.destinationLast().add(BigInteger.ONE), point -> new ArrayList<>()).add(box);
            });
            TreeSet<BigInteger> points = new TreeSet<>(starts.keySet());
            points.addAll(ends.keySet());
            int[] included = new int[labels.size()];
            int[] excluded = new int[labels.size()];
            TreeSet<Integer> counting = new TreeSet<>();
            List<Segment> segments = new ArrayList<>();
            for (BigInteger point : points) {
                for (Box box : ends.getOrDefault(point, List.of())) {
                    (box.excluded() ? excluded : included)[box.label()]--;
                    update(counting, box.label(), included, excluded);
                }
                for (Box box : starts.getOrDefault(point, List.of())) {
                    (box.excluded() ? excluded : included)[box.label()]++;
                    update(counting, box.label(), included, excluded);
                }
                BigInteger next = points.higher(point);
                BigInteger last = next == null ? last(version) : next.subtract(BigInteger.ONE);
                if (!counting.isEmpty() && point.compareTo(last(version)) <= 0) {
                    LabelSet set = new LabelSet(source.direction(), counting.stream().map(labels::get).toList());
                    append(segments, new Segment(point, last, labelSets.computeIfAbsent(set, key -> labelSets.size())));
                }
            }
            if (segments.isEmpty()) {
                return -1;
            }
            return destinationMaps.computeIfAbsent(new DestinationMap(version, segments),
                    key -> destinationMaps.size());
        }

        private static void update(Set<Integer> counting, int label, int[] included, int[] excluded) {
            if (included[label] > 0 && excluded[label] == 0) {
                counting.add(label);
            } else {
                counting.remove(label);
            }
        }

        /** Adds {@code segment}, merged into the previous one if they touch and lead to the same place. */
        private static void append(List<Segment> segments, Segment segment) {
            if (!segments.isEmpty()) {
                Segment previous = segments.getLast();
                if (previous.target() == segment.target()
                        && previous.last().add(BigInteger.ONE).equals(segment.first())) {
                    segments.set(segments.size() - 1, new Segment(previous.first(), segment.last(), segment.target()));
                    return;
                }
            }
            segments.add(segment);
        }

        private static IpVersion version(MeteringLabelRule rule) {
            return rule.remoteIpPrefix().or(rule::sourceIpPrefix).or(rule::destinationIpPrefix)
                    .orElseThrow().version();
        }

        private static BigInteger last(IpVersion version) {
            return BigInteger.ONE.shiftLeft(version.bits()).subtract(BigInteger.ONE);
        }
    }
}
