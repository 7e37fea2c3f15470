package dev.netmeter.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Strict percent-decoding of paths and query strings: every {@code %} is followed by two hex digits, and the
 * bytes are well-formed UTF-8 (no overlong forms, no surrogates). {@link java.net.URLDecoder} instead replaces
 * malformed UTF-8 with U+FFFD, and Javalin's path parameters fail with a 500 on {@code %u0041}. Pure; thread-safe.
 */
final class PercentDecoding {
    private PercentDecoding() {
    }

    /** {@code text} decoded, {@code +} read as a space if {@code plusIsSpace}; empty if it is not well-formed. */
    static Optional<String> decode(String text, boolean plusIsSpace) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                int high = i + 2 < raw.length ? hex(raw[i + 1]) : -1;
                int low = high < 0 ? -1 : hex(raw[i + 2]);
                if (low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(raw[i] == '+' && plusIsSpace ? ' ' : raw[i]);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit would take any Unicode digit). */
    private static int hex(byte digit) {
        if (digit >= '0' && digit <= '9') {
            return digit - '0';
        }
        int lower = digit | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
