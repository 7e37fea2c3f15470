package dev.netmeter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The attributes of one resource in a request body, checked in the order Neutron's
 * {@code prepare_request_body} checks them, with its messages: project/tenant consistency, attributes
 * not allowed in a POST, required attributes, boolean conversion, unknown attributes, then each value.
 * Not thread-safe; one per request item.
 */
final class Attributes {
    /** The spellings of a direction, Neutron's: in rules and in usage rows. */
    static final Set<String> DIRECTIONS = Set.of(Direction.INGRESS.wireName(), Direction.EGRESS.wireName());

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ObjectNode item;

    private Attributes(ObjectNode item) {
        this.item = item;
    }

    /**
     * Checks the shape of a POST item before its values are read.
     *
     * @param allowed attributes a client may send
     * @param notInPost attributes that exist but are set by the server
     * @param required attributes that must be present
     * @param booleans attributes converted to booleans (their conversion errors come before unknown ones)
     */
    static Attributes forPost(ObjectNode item, Set<String> allowed, Set<String> notInPost, List<String> required,
                              List<String> booleans) {
        Attributes attributes = new Attributes(item);
        attributes.checkProjectConsistency();
        for (String name : notInPost) {
            if (item.has(name)) {
                throw new InvalidRequestException("Attribute '%s' not allowed in POST".formatted(name));
            }
        }
        attributes.require(required);
        booleans.forEach(name -> attributes.bool(name, false));
        attributes.rejectUnknown(allowed, notInPost);
        return attributes;
    }

    /**
     * Checks the shape of a PUT item: attributes a client may not change come first, as in Neutron.
     *
     * @param mutable attributes a client may change
     * @param readOnly attributes that exist but cannot be changed
     */
    static Attributes forPut(ObjectNode item, Set<String> mutable, Set<String> readOnly) {
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (readOnly.contains(name)) {
                throw new InvalidRequestException("Cannot update read-only attribute %s".formatted(name));
            }
        }
        Attributes attributes = new Attributes(item);
        attributes.rejectUnknown(mutable, Set.of());
        return attributes;
    }

    /**
     * Refuses an update of a resource Neutron cannot update, naming the first attribute given that Neutron's API
     * layer refuses: 400 "Cannot update read-only attribute" for one without {@code allow_put} (not in
     * {@code putAllowed}), "Unrecognized attribute(s)" for one the resource does not have. What passes reaches
     * Neutron's plugin, which has no update (the caller answers 501).
     */
    static void refuseUpdate(ObjectNode item, ResourceSchema<?, ?> schema, Set<String> putAllowed) {
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!schema.isVisible(name)) {
                throw new InvalidRequestException("Unrecognized attribute(s) '%s'".formatted(name));
            }
            if (!putAllowed.contains(name)) {
                throw new InvalidRequestException("Cannot update read-only attribute %s".formatted(name));
            }
        }
    }

    /** Refuses an item without each of {@code required}, naming the first missing, as Neutron does. */
    void require(List<String> required) {
        for (String name : required) {
            if (!item.has(name)) {
                throw new InvalidRequestException(
                        "Failed to parse request. Required attribute '%s' not specified".formatted(name));
            }
        }
    }

    private void checkProjectConsistency() {
        JsonNode project = item.get("project_id");
        JsonNode tenant = item.get("tenant_id");
        if (project != null && tenant != null && !project.equals(tenant)) {
            throw new InvalidRequestException("'project_id' and 'tenant_id' do not match");
        }
    }

    private void rejectUnknown(Set<String> allowed, Set<String> notInPost) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name) && !notInPost.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("Unrecognized attribute(s) '%s'".formatted(String.join(", ", unknown)));
        }
    }

    /** A string of at most {@code maxLength} characters, or {@code fallback} when absent. */
    String string(String name, int maxLength, String fallback) {
        JsonNode value = item.get(name);
        if (value == null) {
            return fallback;
        }
        return checkedString(name, value, maxLength);
    }

    /** An optional string; absent and JSON null are both empty. */
    Optional<String> optionalString(String name, int maxLength) {
        JsonNode value = item.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(checkedString(name, value, maxLength));
    }

    private static String checkedString(String name, JsonNode value, int maxLength) {
        if (!value.isTextual()) {
            throw invalidValue(name, "'%s' is not a valid string".formatted(python(value)));
        }
        String text = value.textValue();
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw invalidValue(name, "'%s' exceeds maximum length of %d".formatted(text, maxLength));
        }
        requireStorable(name, text);
        return text;
    }

    /**
     * The project of a new resource: {@code project_id}, else {@code tenant_id}, else {@code callers}. JSON null
     * is invalid, not "the caller's project": a client that sends null meant some project, not ours.
     */
    String project(ProjectId callers) {
        return presentString("project_id", ProjectId.MAX_LENGTH)
                .or(() -> presentString("tenant_id", ProjectId.MAX_LENGTH))
                .orElse(callers.value());
    }

    /** An optional string of at most {@code maxLength} characters; absent is empty, JSON null is invalid. */
    Optional<String> presentString(String name, int maxLength) {
        JsonNode value = item.get(name);
        return value == null ? Optional.empty() : Optional.of(checkedString(name, value, maxLength));
    }

    /**
     * A name the kernel or {@code nft} will see, if present; {@code problem} says what is wrong with a bad one
     * (see {@link dev.netmeter.domain.LinuxNames}). JSON null is invalid.
     */
    Optional<String> linuxName(String name, Function<String, Optional<String>> problem) {
        JsonNode value = item.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalidValue(name, "'%s' is not a valid string".formatted(python(value)));
        }
        problem.apply(value.textValue()).ifPresent(reason -> {
            throw invalidValue(name, reason);
        });
        return Optional.of(value.textValue());
    }

    /** An optional boolean, converted as {@link #bool}. */
    Optional<Boolean> optionalBool(String name) {
        return item.has(name) ? Optional.of(bool(name, false)) : Optional.empty();
    }

    /**
     * A boolean, converted as neutron-lib's {@code convert_to_boolean} does: true/false, "true"/"false"
     * and "1"/"0" in any case, and the numbers 1 and 0.
     */
    boolean bool(String name, boolean fallback) {
        JsonNode value = item.get(name);
        if (value == null) {
            return fallback;
        }
        return toBoolean(value.isTextual() ? value.textValue() : python(value), value);
    }

    /** A UUID attribute, in canonical form (lower case). */
    String uuid(String name) {
        JsonNode value = item.get(name);
        if (value == null || !value.isTextual() || !UUID_TEXT.matcher(value.textValue()).matches()) {
            throw invalidValue(name, "'%s' is not a valid UUID".formatted(python(value)));
        }
        return value.textValue().toLowerCase(Locale.ROOT);
    }

    /**
     * A whole JSON number from 0 to {@code max}; {@code what} says what it must be in the message of a bad one,
     * e.g. {@code "a non-negative integer"}.
     */
    long integer(String name, long max, String what) {
        return integer(name, 0, max, what);
    }

    /** A whole JSON number from {@code min} to {@code max}, as {@link #integer(String, long, String)}. */
    long integer(String name, long min, long max, String what) {
        JsonNode value = item.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                || value.longValue() > max) {
            throw invalidValue(name, "'%s' is not %s".formatted(python(value), what));
        }
        return value.longValue();
    }

    /** An attribute that must be one of {@code validValues}, compared exactly. */
    String oneOf(String name, Set<String> validValues) {
        JsonNode value = item.get(name);
        if (value == null || !value.isTextual() || !validValues.contains(value.textValue())) {
            throw invalidValue(name, "%s is not in valid_values".formatted(python(value)));
        }
        return value.textValue();
    }

    /** Converts query or body text to a boolean, with neutron-lib's message on failure. */
    static boolean toBoolean(String text) {
        return toBoolean(text, null);
    }

    private static boolean toBoolean(String text, JsonNode original) {
        if (original != null && original.isBoolean()) {
            return original.booleanValue();
        }
        if (original == null || original.isTextual() || original.isIntegralNumber()) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw new InvalidInputException("'%s' cannot be converted to boolean".formatted(text));
    }

    /**
     * Refuses text no database can store faithfully: NUL characters (PostgreSQL rejects them) and
     * unpaired surrogates (not encodable as UTF-8).
     */
    static void requireStorable(String name, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw invalidValue(name, "it contains a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalidValue(name, "it contains an unpaired UTF-16 surrogate");
            }
        }
    }

    /** A project id given as query parameter {@code name}: storable and at most {@link ProjectId#MAX_LENGTH} long. */
    static ProjectId projectId(String name, String text) {
        requireStorable(name, text);
        if (text.codePointCount(0, text.length()) > ProjectId.MAX_LENGTH) {
            throw invalidValue(name, "'%s' exceeds maximum length of %d".formatted(text, ProjectId.MAX_LENGTH));
        }
        return new ProjectId(text);
    }

    /** {@code Invalid input for <name>. Reason: <reason>.}, Neutron's message for a bad value. */
    static InvalidRequestException invalidValue(String name, String reason) {
        return new InvalidRequestException("Invalid input for %s. Reason: %s.".formatted(name, reason));
    }

    /** How Python would print the value in Neutron's messages ({@code None}, {@code True}, {@code 123}). */
    static String python(JsonNode value) {
        if (value == null || value.isNull()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
