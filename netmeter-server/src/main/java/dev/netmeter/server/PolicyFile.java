package dev.netmeter.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.service.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads policy overrides in the formats Neutron reads: {@code policy.json}, or {@code policy.yaml} as
 * {@code oslopolicy-sample-generator} writes it (a flat mapping of rule name to check string, one per line,
 * comments allowed). Richer YAML (block scalars, nesting) is refused with the line number rather than
 * misread.
 */
final class PolicyFile {
    private PolicyFile() {
    }

    /**
     * The policy: Neutron's defaults with the file's rules in their place.
     *
     * @throws ConfigException naming the file, the line or the rule at fault
     */
    static Policy load(Path file) {
        Map<String, String> rules = read(file);
        try {
            return Policy.withOverrides(rules);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("%s: %s".formatted(file, e.getMessage()));
        }
    }

    /** A sample file: every default rule, in the YAML form {@link #read} reads. */
    static String sample() {
        StringBuilder text = new StringBuilder("""
                # netmeter policy (oslo.policy syntax, Neutron's rule names). Uncomment a rule to override it.
                # create/delete need admin; reading needs admin or the owning project (Neutron Zed's defaults).
                """);
        Policy.defaultRules().forEach((name, check) ->
                text.append("#\"").append(name).append("\": \"").append(check).append("\"\n"));
        return text.toString();
    }

    static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read policy file %s: %s".formatted(file, e.getMessage()));
        }
        return text.stripLeading().startsWith("{") ? json(file, text) : yaml(file, text);
    }

    private static Map<String, String> json(Path file, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JacksonException e) {
            throw new ConfigException("%s is not valid JSON: %s".formatted(file, e.getOriginalMessage()));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        for (var field : root.properties()) {
            if (!field.getValue().isTextual()) {
                throw new ConfigException("%s: rule '%s' is not a string".formatted(file, field.getKey()));
            }
            rules.put(field.getKey(), field.getValue().asText());
        }
        return rules;
    }

    private static Map<String, String> yaml(Path file, String text) {
        Map<String, String> rules = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.equals("---")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw unsupported(file, number, "an indented line (write one \"name\": \"check\" a line)");
            }
            Scalar name = scalar(file, number, trimmed, 0, true);
            Scalar check = scalar(file, number, trimmed, name.end(), false);
            rules.put(name.value(), check.value());
        }
        return rules;
    }

    /** One scalar of a {@code name: check} line, and where the line goes on after it. */
    private record Scalar(String value, int end) {
    }

    private static Scalar scalar(Path file, int number, String line, int start, boolean isName) {
        int position = start;
        while (position < line.length() && line.charAt(position) == ' ') {
            position++;
        }
        String value;
        int end;
        if (position < line.length() && (line.charAt(position) == '"' || line.charAt(position) == '\'')) {
            char quote = line.charAt(position);
            int closing = line.indexOf(quote, position + 1);
            if (closing < 0) {
                throw unsupported(file, number, "an unterminated quote");
            }
            value = line.substring(position + 1, closing);
            if (value.indexOf('\\') >= 0) {
                throw unsupported(file, number, "an escape sequence");
            }
            end = closing + 1;
        } else if (isName) {
            int colon = line.indexOf(": ", position);
            end = colon < 0 ? (line.endsWith(":") ? line.length() - 1 : -1) : colon;
            if (end < 0) {
                throw unsupported(file, number, "a line that is not \"name\": \"check\"");
            }
            value = line.substring(position, end).strip();
        } else {
            int comment = line.indexOf(" #", position);
            end = comment < 0 ? line.length() : comment;
            value = line.substring(position, end).strip();
            if (value.startsWith("|") || value.startsWith(">") || value.startsWith("&") || value.startsWith("*")) {
                throw unsupported(file, number, "a block scalar, anchor or alias");
            }
        }
        if (isName) {
            int colon = end;
            while (colon < line.length() && line.charAt(colon) == ' ') {
                colon++;
            }
            if (colon >= line.length() || line.charAt(colon) != ':') {
                throw unsupported(file, number, "a line that is not \"name\": \"check\"");
            }
            return new Scalar(value, colon + 1);
        }
        String rest = line.substring(end).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw unsupported(file, number, "text after the check string");
        }
        return new Scalar(value, line.length());
    }

    private static ConfigException unsupported(Path file, int number, String what) {
        return new ConfigException("%s line %d: %s is not supported".formatted(file, number, what));
    }
}
