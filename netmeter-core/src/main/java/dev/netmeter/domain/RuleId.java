package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Identifier of a metering label rule. */
public record RuleId(UUID value) {
    public RuleId {
        Objects.requireNonNull(value, "value");
    }

    /** The id written as {@code text}, if it is a canonical UUID (any case). */
    public static Optional<RuleId> parse(String text) {
        return Uuids.parse(text).map(RuleId::new);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
