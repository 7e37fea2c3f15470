package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Identifier of a router. */
public record RouterId(UUID value) implements Comparable<RouterId> {
    public RouterId {
        Objects.requireNonNull(value, "value");
    }

    /** The id written as {@code text}, if it is a canonical UUID (any case). */
    public static Optional<RouterId> parse(String text) {
        return Uuids.parse(text).map(RouterId::new);
    }

    @Override
    public int compareTo(RouterId other) {
        return Uuids.compareAsText(value, other.value());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
