package dev.netmeter.agent.driver;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.IpVersion;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A packet as metering sees it: its IP version, its addresses, and how it crossed the router's external
 * interface: {@link Direction#INGRESS} when it came in through it, {@link Direction#EGRESS} when it left
 * through it (and did not also come in through it).
 */
public record Packet(IpVersion version, Direction direction, BigInteger source, BigInteger destination) {
    public Packet {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
    }
}
