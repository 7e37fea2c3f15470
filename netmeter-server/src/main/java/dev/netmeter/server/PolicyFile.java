package dev.netmeter.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.netmeter.service.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads policy overrides in the formats Neutron reads: {@code policy.json}, or {@code policy.yaml} as
 * {@code oslopolicy-sample-generator} writes it (a flat mapping of rule name to check string, one per line,
 * comments allowed), parsed by Jackson's YAML module. Richer YAML (block scalars, nesting, tags, anchors) is
 * refused with the line number rather than misread, and so is a rule given twice (YAML and JSON parsers would
 * otherwise let the second silently win).
 */
final class PolicyFile {
    private static final String NOT_A_RULE = "%s line %d: not a rule on one line (\"name\": \"check\"); indented "
            + "lines, block scalars, tags and anchors are not supported";
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw duplicate(file, e).orElseGet(() ->
                    new ConfigException("%s is not valid JSON: %s".formatted(file, e.getOriginalMessage())));
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

    /**
     * Walks the parser's tokens rather than binding a map, to see where each check starts and ends: a rule must
     * be a plain or quoted string on its key's line, so that a line-by-line reader (and a reviewer) reads it alike.
     */
    private static Map<String, String> yaml(Path file, String text) {
        Map<String, String> rules = new LinkedHashMap<>();
        try (YAMLParser parser = YAML.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return rules;   // comments only
            }
            if (token != JsonToken.START_OBJECT) {
                throw new ConfigException(NOT_A_RULE.formatted(file, startLine(parser)));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                int line = startLine(parser);
                token = parser.nextToken();
                if (startLine(parser) != line || endLine(parser) != line || token.isStructStart()
                        || parser.getTypeId() != null || parser.getObjectId() != null) {
                    throw new ConfigException(NOT_A_RULE.formatted(file, line));
                }
                if (token != JsonToken.VALUE_STRING) {
                    throw new ConfigException("%s line %d: rule '%s' is not a string".formatted(file, line, name));
                }
                rules.put(name, parser.getText());
            }
            if (parser.nextToken() != null) {
                throw new ConfigException("%s line %d: a second YAML document".formatted(file, startLine(parser)));
            }
        } catch (JacksonException e) {
            // SnakeYAML says where the problem is and where its construct began: the problem's line is the one to fix.
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                throw new ConfigException(NOT_A_RULE.formatted(file, yaml.getProblemMark().getLine() + 1) + ": "
                        + yaml.getProblem());
            }
            throw duplicate(file, e).orElseGet(() ->
                    new ConfigException(NOT_A_RULE.formatted(file, line(e)) + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException("cannot read policy file %s: %s".formatted(file, e.getMessage()));
        }
        return rules;
    }

    /** Jackson's STRICT_DUPLICATE_DETECTION names the rule; this says where and why it matters. */
    private static Optional<ConfigException> duplicate(Path file, JacksonException e) {
        return e.getOriginalMessage().startsWith("Duplicate")
                ? Optional.of(new ConfigException(("%s line %d: %s; a rule may be given only once (else the second "
                        + "would silently replace the first)").formatted(file, line(e), e.getOriginalMessage())))
                : Optional.empty();
    }

    private static int line(JacksonException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static int startLine(YAMLParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static int endLine(YAMLParser parser) {
        return parser.currentLocation().getLineNr();
    }
}
