package dev.netmeter.domain;

import java.util.Optional;

/** Which way a metered packet crosses the router's external interface. */
public enum Direction {
    /** Into the router from the external network. */
    INGRESS("ingress"),
    /** Out of the router to the external network. */
    EGRESS("egress");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    /** Neutron's spelling; case-sensitive, as in Neutron ({@code INGRESS} is invalid there too). */
    public String wireName() {
        return wireName;
    }

    /** The direction spelled exactly {@code text}, if any. */
    public static Optional<Direction> fromWire(String text) {
        for (Direction direction : values()) {
            if (direction.wireName.equals(text)) {
                return Optional.of(direction);
            }
        }
        return Optional.empty();
    }
}
