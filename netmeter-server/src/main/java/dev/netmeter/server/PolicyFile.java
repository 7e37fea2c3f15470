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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads policy overrides in the formats Neutron reads: {@code policy.json}, or {@code policy.yaml} as
 * {@code oslopolicy-sample-generator} writes it (a flat mapping of rule name to check string, one per line,
 * comments allowed). Richer YAML (block scalars, nesting) is refused with the line number rather than
 * misread.
 */
final class PolicyFile {
    /**
     * One rule of a flat YAML mapping: a name and a check string, each quoted or plain, then perhaps a
     * comment. A plain name ends at the first ": "; a plain check may not start with a YAML indicator
     * (quote, #, |, >, &, *, !, %, @, `), which would make it something other than a string.
     */
    private static final Pattern YAML_RULE = Pattern.compile(
            "(?<name>\"[^\"\\\\]*\"|'[^'\\\\]*'|[^\\s\"'#][^\\s]*?)\\s*:\\s+"
                    + "(?<check>\"[^\"\\\\]*\"|'[^'\\\\]*'|[^\\s\"'#|>&*!%@`][^#]*?)\\s*(?:#.*)?");

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
            String line = lines.get(number - 1).stripTrailing();
            if (line.isEmpty() || line.stripLeading().startsWith("#") || line.equals("---")) {
                continue;
            }
            Matcher rule = YAML_RULE.matcher(line);
            if (!rule.matches()) {
                throw new ConfigException(("%s line %d: not a rule on one line (\"name\": \"check\"); indented lines, "
                        + "block scalars, escapes, tags and anchors are not supported").formatted(file, number));
            }
            rules.put(unquote(rule.group("name")), unquote(rule.group("check")));
        }
        return rules;
    }

    private static String unquote(String scalar) {
        char first = scalar.charAt(0);
        return first == '"' || first == '\'' ? scalar.substring(1, scalar.length() - 1) : scalar;
    }
}
