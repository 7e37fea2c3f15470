package dev.netmeter.api;

import dev.netmeter.domain.error.InvalidRequestException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A query string as an ordered list of name/value pairs, as webob's MultiDict keeps it. Immutable. */
record QueryParameters(List<Map.Entry<String, String>> pairs) {

    QueryParameters {
        pairs = List.copyOf(pairs);
    }

    /** Parses a raw (still encoded) query string; null or empty gives no parameters. */
    static QueryParameters parse(String raw) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                pairs.add(Map.entry(decode(name), decode(value)));
            }
        }
        return new QueryParameters(pairs);
    }

    private static String decode(String text) {
        return PercentDecoding.decode(text, true).orElseThrow(() ->
                new InvalidRequestException("The query string is not correctly percent-encoded UTF-8"));
    }

    /**
     * The non-negative integer {@code text} spells in ASCII digits (Java's parsers take any Unicode digit:
     * {@code ٢}, {@code ２}, and a leading {@code +}), or empty if it spells none or one beyond {@code long}.
     */
    static OptionalLong asciiNumber(String text) {
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {     // 19 digits above Long.MAX_VALUE
            return OptionalLong.empty();
        }
    }

    /** Each name with its values, names in order of first appearance. */
    Map<String, List<String>> asMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        pairs.forEach(pair -> map.computeIfAbsent(pair.getKey(), name -> new ArrayList<>()).add(pair.getValue()));
        return map;
    }

    /**
     * The one value of {@code name} in {@code parameters} (as {@link #asMap} gives them), if given.
     *
     * @throws InvalidRequestException if it is given more than once
     */
    static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new InvalidRequestException("Query parameter '%s' given more than once".formatted(name));
        }
        return values.stream().findFirst();
    }

    /** @throws InvalidRequestException naming the first parameter not in {@code known} */
    static void requireKnown(Map<String, List<String>> parameters, Set<String> known) {
        for (String name : parameters.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidRequestException("Unrecognized query parameter '%s'".formatted(name));
            }
        }
    }

    /** These parameters without any named {@code name}. */
    QueryParameters without(String name) {
        return new QueryParameters(pairs.stream().filter(pair -> !pair.getKey().equals(name)).toList());
    }

    /** These parameters with {@code name=value} appended. */
    QueryParameters with(String name, String value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(pairs);
        more.add(Map.entry(name, value));
        return new QueryParameters(more);
    }

    /** The encoded query string, as Python's {@code urlencode} writes it. */
    String encode() {
        List<String> encoded = new ArrayList<>();
        pairs.forEach(pair -> encoded.add(URLEncoder.encode(pair.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8)));
        return String.join("&", encoded);
    }
}
