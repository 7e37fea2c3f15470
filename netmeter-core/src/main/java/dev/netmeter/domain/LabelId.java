package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Identifier of a metering label. */
public record LabelId(UUID value) implements Comparable<LabelId> {
    public LabelId {
        Objects.requireNonNull(value, "value");
    }

    /** The id written as {@code text}, if it is a canonical UUID (any case). */
    public static Optional<LabelId> parse(String text) {
        return Uuids.parse(text).map(LabelId::new);
    }

    @Override
    public int compareTo(LabelId other) {
        return Uuids.compareAsText(value, other.value());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
