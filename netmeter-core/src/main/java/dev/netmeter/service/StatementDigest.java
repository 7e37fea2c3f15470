package dev.netmeter.service;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.service.BillingService.Line;
import dev.netmeter.service.BillingService.NamedAdjustment;
import dev.netmeter.service.BillingService.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The content hash of a closed statement: SHA-256 over its canonical form, which a client can rebuild from the
 * JSON answer. The canonical form is the answer's {@code statement} object without {@code closed},
 * {@code closed_at} and {@code content_sha256}, written as RFC 8785 (JSON Canonicalization Scheme) writes it:
 * no white space, members sorted by name at every level, arrays in the answer's order, strings escaped only
 * where JSON requires it ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other controls as {@code \}{@code u00xx}),
 * UTF-8; one difference, integers are written in full (byte counts may pass 2^53, where RFC 8785 would round
 * them as doubles). Pure; thread-safe.
 */
final class StatementDigest {
    private StatementDigest() {
    }

    /** The SHA-256 (hex) of {@code statement}'s canonical form. */
    static String sha256(Statement statement) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical(statement).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The canonical form; members in the order of their names. */
    static String canonical(Statement statement) {
        StringBuilder json = new StringBuilder(256 + 200 * statement.lines().size());
        json.append("{\"adjustments\":[");
        List<NamedAdjustment> adjustments = statement.adjustments();
        for (int i = 0; i < adjustments.size(); i++) {
            Adjustment adjustment = adjustments.get(i).adjustment();
            json.append(i == 0 ? "{" : ",{");
            number(json, "bytes", adjustment.bytes()).append(',');
            direction(json, adjustment.direction()).append(',');
            string(json, "label_id", Optional.of(adjustment.label().toString())).append(',');
            string(json, "label_name", adjustments.get(i).labelName()).append(',');
            string(json, "period", Optional.of(adjustment.period().toString())).append(',');
            number(json, "pkts", adjustment.packets()).append('}');
        }
        json.append("],");
        string(json, "end", Optional.of(instant(statement.end()))).append(",\"lines\":[");
        for (int i = 0; i < statement.lines().size(); i++) {
            Line named = statement.lines().get(i);
            StatementLine line = named.line();
            json.append(i == 0 ? "{" : ",{");
            number(json, "bytes", line.bytes()).append(',');
            direction(json, line.direction()).append(',');
            string(json, "label_id", Optional.of(line.label().toString())).append(',');
            string(json, "label_name", named.labelName()).append(',');
            number(json, "p95_bps", line.rate().p95Bps()).append(',');
            number(json, "peak_bps", line.rate().peakBps()).append(',');
            number(json, "pkts", line.packets()).append(',');
            number(json, "samples", line.rate().samples()).append('}');
        }
        json.append("],");
        string(json, "period", statement.period().map(YearMonth::toString)).append(',');
        string(json, "project_id", Optional.of(statement.project().value())).append(',');
        string(json, "start", Optional.of(instant(statement.start()))).append('}');
        return json.toString();
    }

    /** As the API writes instants: ISO-8601 in UTC, {@code 2026-11-01T00:00:00Z}. */
    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static StringBuilder direction(StringBuilder json, Optional<Direction> direction) {
        return string(json, "direction", direction.map(Direction::wireName));
    }

    private static StringBuilder number(StringBuilder json, String name, long value) {
        return quoted(json, name).append(':').append(value);
    }

    private static StringBuilder string(StringBuilder json, String name, Optional<String> value) {
        quoted(json, name).append(':');
        return value.isPresent() ? quoted(json, value.get()) : json.append("null");
    }

    /** RFC 8785's string: the two-character escapes where JSON has them, a six-character one for other controls. */
    private static StringBuilder quoted(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HexFormat.of().toHexDigits((byte) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
