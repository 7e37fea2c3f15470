package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.persistence.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How one resource appears on the wire: its names, its attributes in Neutron's output order, which
 * stored field each filterable or sortable attribute is, and how a value renders each attribute.
 * Thread-safe (immutable).
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
    private final Map<String, BiConsumer<ObjectNode, T>> renderers;

    /**
     * @param singular body key of one resource, e.g. {@code metering_label}
     * @param plural body key of a collection, e.g. {@code metering_labels}
     * @param path the collection's path, e.g. {@code /v2.0/metering/metering-labels}
     * @param fields the stored field of each attribute that lists may filter and sort on
     * @param booleans the attributes whose filter values are booleans
     * @param renderers each visible attribute, in output order, with how it is written
     */
    ResourceSchema(String singular, String plural, String path, Map<String, F> fields, Set<String> booleans,
                   Map<String, BiConsumer<ObjectNode, T>> renderers) {
        this.singular = singular;
        this.plural = plural;
        this.path = path;
        this.fields = Map.copyOf(fields);
        this.booleans = Set.copyOf(booleans);
        this.renderers = new LinkedHashMap<>(renderers);
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
        return renderers.containsKey(attribute);
    }

    /** The value's attributes, all of them if {@code only} is empty, in Neutron's order. */
    ObjectNode render(T value, List<String> only) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        renderers.forEach((attribute, renderer) -> {
            if (only.isEmpty() || only.contains(attribute)) {
                renderer.accept(node, value);
            }
        });
        return node;
    }
}
