package dev.netmeter.agent.driver;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.IpVersion;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/** Routers and packets for tests: fixed ones by hand, random ones from a seed. */
public final class Routers {
    private Routers() {
    }

    /** A label id whose text shows its number, e.g. {@code 00000000-0000-0000-0000-000000000007}. */
    public static LabelId label(int number) {
        return new LabelId(new UUID(0, number));
    }

    /** A rule on the legacy {@code remote_ip_prefix}. */
    public static MeteringLabelRule remote(LabelId label, Direction direction, boolean excluded, String prefix) {
        return rule(label, direction, excluded, Optional.of(prefix), Optional.empty(), Optional.empty());
    }

    /** A rule on source and destination prefixes, either of which may be null. */
    public static MeteringLabelRule sourceAndDestination(LabelId label, Direction direction, boolean excluded,
                                                         String source, String destination) {
        return rule(label, direction, excluded, Optional.empty(), Optional.ofNullable(source),
                Optional.ofNullable(destination));
    }

    private static MeteringLabelRule rule(LabelId label, Direction direction, boolean excluded, Optional<String> remote,
                                          Optional<String> source, Optional<String> destination) {
        return new MeteringLabelRule(new RuleId(UUID.randomUUID()), label, direction, excluded,
                remote.map(text -> Cidr.parse("remote_ip_prefix", text)),
                source.map(text -> Cidr.parse("source_ip_prefix", text)),
                destination.map(text -> Cidr.parse("destination_ip_prefix", text)));
    }

    /** A router whose interface is {@code qg-test}, with {@code labels}. */
    public static RouterMetering router(List<LabelMetering> labels) {
        return new RouterMetering(new RouterId(new UUID(1, 1)), "qrouter-test", "qg-test", labels);
    }

    /** A packet between two addresses written as text. */
    public static Packet packet(Direction direction, String source, String destination) {
        Cidr from = Cidr.parse("source", source);
        Cidr to = Cidr.parse("destination", destination);
        return new Packet(from.version(), direction, from.first(), to.first());
    }

    /**
     * A random router: {@code labels} labels with {@code rules} rules in all, on IPv4 and IPv6, ingress and
     * egress, about one in five excluded, a third on source and destination prefixes. Prefixes come from a
     * small space ({@code 10.0.0.0/16}, {@code fd00::/112}) so that they overlap and nest often.
     */
    public static RouterMetering random(Random random, int labels, int rules) {
        List<List<MeteringLabelRule>> byLabel = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < rules; i++) {
            int label = random.nextInt(labels);
            IpVersion version = random.nextInt(4) == 0 ? IpVersion.V6 : IpVersion.V4;
            Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
            boolean excluded = random.nextInt(5) == 0;
            if (random.nextInt(3) == 0) {
                byLabel.get(label).add(sourceAndDestination(label(label), direction, excluded,
                        random.nextBoolean() ? randomPrefix(random, version) : null, randomPrefix(random, version)));
            } else {
                byLabel.get(label).add(remote(label(label), direction, excluded, randomPrefix(random, version)));
            }
        }
        List<LabelMetering> metering = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            metering.add(new LabelMetering(label(i), byLabel.get(i)));
        }
        return router(metering);
    }

    private static String randomPrefix(Random random, IpVersion version) {
        if (version == IpVersion.V4) {
            int length = 16 + random.nextInt(17);
            return "10.0.%d.%d/%d".formatted(random.nextInt(256), random.nextInt(256), length);
        }
        int length = 112 + random.nextInt(17);
        return "fd00::%x/%d".formatted(random.nextInt(65536), length);
    }

    /** Every prefix of {@code router}'s rules, by IP version: where compiled forms have their boundaries. */
    public static java.util.Map<IpVersion, List<Cidr>> prefixes(RouterMetering router) {
        return router.labels().stream().flatMap(label -> label.rules().stream())
                .flatMap(rule -> java.util.stream.Stream.of(rule.remoteIpPrefix(), rule.sourceIpPrefix(),
                        rule.destinationIpPrefix()))
                .flatMap(Optional::stream)
                .collect(java.util.stream.Collectors.groupingBy(Cidr::version));
    }

    /** A random packet: usually at the edge or inside one of {@code prefixes}, sometimes anywhere near. */
    public static Packet randomPacket(Random random, java.util.Map<IpVersion, List<Cidr>> prefixes) {
        IpVersion version = random.nextInt(4) == 0 ? IpVersion.V6 : IpVersion.V4;
        Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
        List<Cidr> same = prefixes.getOrDefault(version, List.of());
        return new Packet(version, direction, address(random, version, same), address(random, version, same));
    }

    private static BigInteger address(Random random, IpVersion version, List<Cidr> same) {
        if (same.isEmpty() || random.nextInt(5) == 0) {
            BigInteger base = version == IpVersion.V4 ? BigInteger.valueOf(10L << 24)
                    : new BigInteger("fd000000000000000000000000000000", 16);
            return base.add(BigInteger.valueOf(random.nextInt(1 << 17)));
        }
        Cidr prefix = same.get(random.nextInt(same.size()));
        return switch (random.nextInt(4)) {
            case 0 -> prefix.first();
            case 1 -> prefix.last();
            case 2 -> prefix.last().add(BigInteger.ONE);
            default -> prefix.first().add(new BigInteger(prefix.last().subtract(prefix.first()).bitLength(), random)
                    .min(prefix.last().subtract(prefix.first())));
        };
    }
}
