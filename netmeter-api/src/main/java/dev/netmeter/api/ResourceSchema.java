package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.netmeter.domain.query.Field;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Function;

/**
 * How one resource appears on the wire: its names, its attributes in Neutron's output order, which
 * stored field each filterable or sortable attribute is, and each attribute's value. Resources are written
 * straight to a {@link JsonGenerator}, without a tree: lists of 10,000 rules and agents' sync data are
 * megabytes. Thread-safe (immutable).
 *
 * @param <F> the stored fields
 * @param <T> the domain value
 */
final class ResourceSchema<F extends Enum<F> & Field, T> {
    private final String singular;
    private final String plural;
    private final String path;
    private final Map<String, F> fields;
    private final Set<String> booleans;
    private final SequencedMap<String, Function<T, Object>> attributes;

    /**
     * @param singular body key of one resource, e.g. {@code metering_label}
     * @param plural body key of a collection, e.g. {@code metering_labels}
     * @param path the collection's path, e.g. {@code /v2.0/metering/metering-labels}
     * @param fields the stored field of each attribute that lists may filter and sort on
     * @param booleans the attributes whose filter values are booleans
     * @param attributes each visible attribute, in output order, with its value: a {@code String}, a
     *     {@code Boolean} or null
     */
    ResourceSchema(String singular, String plural, String path, Map<String, F> fields, Set<String> booleans,
                   SequencedMap<String, Function<T, Object>> attributes) {
        this.singular = singular;
        this.plural = plural;
        this.path = path;
        this.fields = Map.copyOf(fields);
        this.booleans = Set.copyOf(booleans);
        this.attributes = new LinkedHashMap<>(attributes);
    }

    String singular() {
        return singular;
    }

    String plural() {
        return plural;
    }

    String path() {
        return path;
    }

    /** The stored field of a filterable attribute, or null. */
    F field(String attribute) {
        return fields.get(attribute);
    }

    boolean isBoolean(String attribute) {
        return booleans.contains(attribute);
    }

    boolean isVisible(String attribute) {
        return attributes.containsKey(attribute);
    }

    /** Writes the value as an object: its attributes, all of them if {@code only} is empty, in Neutron's order. */
    void write(JsonGenerator json, T value, List<String> only) throws IOException {
        json.writeStartObject();
        writeAttributes(json, value, only);
        json.writeEndObject();
    }

    /** The value's attributes but {@code except}, in Neutron's order: for a record that writes the rest itself. */
    SequencedMap<String, Object> attributes(T value, Set<String> except) {
        SequencedMap<String, Object> values = new LinkedHashMap<>();
        attributes.forEach((name, attribute) -> {
            if (!except.contains(name)) {
                values.put(name, attribute.apply(value));
            }
        });
        return values;
    }

    /** Writes the value's attributes into the object {@link #write} has opened. */
    private void writeAttributes(JsonGenerator json, T value, List<String> only) throws IOException {
        for (Map.Entry<String, Function<T, Object>> attribute : attributes.entrySet()) {
            if (only.isEmpty() || only.contains(attribute.getKey())) {
                json.writeFieldName(attribute.getKey());
                switch (attribute.getValue().apply(value)) {
                    case null -> json.writeNull();
                    case String text -> json.writeString(text);
                    case Boolean bool -> json.writeBoolean(bool);
                    case Object other -> throw new IllegalStateException(
                            "attribute %s is a %s".formatted(attribute.getKey(), other.getClass()));
                }
            }
        }
    }
}
