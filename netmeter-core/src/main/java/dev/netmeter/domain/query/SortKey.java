package dev.netmeter.domain.query;

import java.util.Objects;

/** One key of a list's order. */
public record SortKey<F extends Enum<F> & Field>(F field, boolean ascending) {
    public SortKey {
        Objects.requireNonNull(field, "field");
    }

    /** The same key in the other direction (for {@code page_reverse}). */
    public SortKey<F> reversed() {
        return new SortKey<>(field, !ascending);
    }
}
