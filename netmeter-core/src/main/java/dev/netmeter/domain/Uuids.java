package dev.netmeter.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict UUID text handling, shared by every identifier type. Thread-safe (stateless). */
final class Uuids {
    // java.util.UUID.fromString accepts "1-1-1-1-1"; an id on the wire must be the canonical 8-4-4-4-12 form.
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    static Optional<UUID> parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text.toLowerCase(Locale.ROOT)));
    }

    /**
     * Orders two UUIDs as their canonical (lower-case) texts order, without writing them: the text is the 128
     * bits in hex, most significant first, with dashes at fixed places, and '0'-'9' sort before 'a'-'f', so the
     * text order is the unsigned order of the bits. Stored report hashes depend on this order: it must not
     * change. Sorting a 100,000-row report compared 3.4 million pairs of freshly written strings before.
     */
    static int compareAsText(UUID left, UUID right) {
        int high = Long.compareUnsigned(left.getMostSignificantBits(), right.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(left.getLeastSignificantBits(), right.getLeastSignificantBits());
    }
}
