package dev.netmeter.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Instants on the wire: ISO-8601 in UTC, at any precision ({@code 2026-11-23T20:05:00.123Z}). Thread-safe. */
final class WireTime {
    /**
     * Window bounds are stored as epoch nanoseconds: 1677-09-21 to 2262-04-11 (the earliest a whole second, so
     * that converting it back and forth cannot overflow).
     */
    private static final Instant EARLIEST = Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000_000L);
    static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

    private WireTime() {
    }

    /** The instant in a body attribute. */
    static Instant instant(String name, JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw notAnInstant(name, Attributes.python(value));
        }
        return instant(name, value.textValue());
    }

    /** The instant in {@code text}, e.g. a query parameter's value. */
    static Instant instant(String name, String text) {
        Instant instant;
        try {
            instant = DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from);
        } catch (DateTimeException e) {
            throw notAnInstant(name, text);
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw Attributes.invalidValue(name, "'%s' is not between %s and %s".formatted(text, EARLIEST, LATEST));
        }
        return instant;
    }

    /** {@code instant} as the API writes it. */
    static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static RuntimeException notAnInstant(String name, String text) {
        return Attributes.invalidValue(name, "'%s' is not an ISO-8601 instant such as 2026-11-23T20:00:00Z"
                .formatted(text));
    }
}
