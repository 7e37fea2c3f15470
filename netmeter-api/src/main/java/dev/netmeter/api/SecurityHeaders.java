package dev.netmeter.api;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every response carries, whoever produced it (a handler, an error mapping, or Jetty itself
 * refusing a malformed request): the API serves JSON to programs, so nothing may be sniffed, framed,
 * cached, or sent on as a referrer.
 */
final class SecurityHeaders {
    static final Map<String, String> ALL = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    private SecurityHeaders() {
    }

    /** Sets every header with {@code setter} (name, value). */
    static void apply(BiConsumer<String, String> setter) {
        ALL.forEach(setter);
    }
}
