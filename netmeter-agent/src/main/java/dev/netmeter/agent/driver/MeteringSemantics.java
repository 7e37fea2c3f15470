package dev.netmeter.agent.driver;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Neutron's metering rule, stated plainly: a label counts a packet when one of its rules for the packet's
 * direction matches it and none of its excluded rules does; it counts it once, however many rules match.
 * A rule matches on its prefixes: {@code remote_ip_prefix} is the destination of an ingress packet and the
 * source of an egress one (Neutron's iptables driver: {@code -d} with {@code -i}, {@code -s} with
 * {@code -o}); {@code source_ip_prefix} and {@code destination_ip_prefix} are what they say, and an absent
 * one matches any address. A prefix never matches a packet of the other IP version.
 *
 * <p>This is the reference the compiled data planes are tested against, rule by rule and packet by packet.
 * Thread-safe (stateless).
 */
public final class MeteringSemantics {
    private MeteringSemantics() {
    }

    /** The labels of {@code router} that count {@code packet}. */
    public static Set<LabelId> labelsCounting(RouterMetering router, Packet packet) {
        Set<LabelId> counting = new LinkedHashSet<>();
        for (LabelMetering label : router.labels()) {
            boolean included = false;
            boolean excluded = false;
            for (MeteringLabelRule rule : label.rules()) {
                if (rule.direction() == packet.direction() && matches(rule, packet)) {
                    excluded |= rule.excluded();
                    included |= !rule.excluded();
                }
            }
            if (included && !excluded) {
                counting.add(label.label());
            }
        }
        return counting;
    }

    /** Whether {@code rule}'s prefixes match {@code packet} (its direction is the caller's to check). */
    static boolean matches(MeteringLabelRule rule, Packet packet) {
        if (rule.remoteIpPrefix().isPresent()) {
            BigInteger remote = packet.direction() == Direction.INGRESS ? packet.destination() : packet.source();
            return contains(rule.remoteIpPrefix().get(), packet, remote);
        }
        return matchesIfPresent(rule.sourceIpPrefix(), packet, packet.source())
                && matchesIfPresent(rule.destinationIpPrefix(), packet, packet.destination());
    }

    private static boolean matchesIfPresent(Optional<Cidr> prefix, Packet packet, BigInteger address) {
        return prefix.isEmpty() || contains(prefix.get(), packet, address);
    }

    private static boolean contains(Cidr prefix, Packet packet, BigInteger address) {
        return prefix.version() == packet.version()
                && prefix.first().compareTo(address) <= 0 && address.compareTo(prefix.last()) <= 0;
    }
}
