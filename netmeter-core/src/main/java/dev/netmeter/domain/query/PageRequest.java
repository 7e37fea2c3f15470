package dev.netmeter.domain.query;

import java.util.Objects;
import java.util.Optional;

/**
 * A page of a list: at most {@code limit} items after the item with id {@code marker} in the list's
 * order, or, if {@code reverse}, the {@code limit} items before it (still returned in the list's order).
 * A marker that names no visible item yields an empty page, as in Neutron.
 */
public record PageRequest(int limit, Optional<String> marker, boolean reverse) {
    public PageRequest {
        Objects.requireNonNull(marker, "marker");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
