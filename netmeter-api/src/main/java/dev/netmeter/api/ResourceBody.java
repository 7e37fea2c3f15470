package dev.netmeter.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope of a request body, read as Neutron's {@code base.Controller.prepare_request_body} reads it:
 * {@code {"metering_label": {...}}} for one resource, {@code {"metering_labels": [...]}} for a bulk create.
 */
record ResourceBody(List<ObjectNode> items, boolean bulk) {

    /** Reads a create body for the resource named {@code singular}, whose collection is {@code plural}. */
    static ResourceBody forCreate(JsonNode root, String singular, String plural) {
        if (!root.isObject()) {
            throw new InvalidRequestException("Body contains invalid data");
        }
        JsonNode many = root.get(plural);
        if (many != null) {
            if (!many.isArray()) {
                throw new InvalidRequestException("Body contains invalid data");
            }
            if (many.isEmpty()) {
                throw new InvalidRequestException("Resources required");
            }
            List<ObjectNode> items = new ArrayList<>();
            many.forEach(item -> items.add(object(item)));
            return new ResourceBody(List.copyOf(items), true);
        }
        return new ResourceBody(List.of(single(root, singular)), false);
    }

    /** Reads an update body: exactly one resource. */
    static ObjectNode forUpdate(JsonNode root, String singular) {
        if (!root.isObject()) {
            throw new InvalidRequestException("Body contains invalid data");
        }
        return single(root, singular);
    }

    private static ObjectNode single(JsonNode root, String singular) {
        JsonNode one = root.get(singular);
        if (one == null) {
            throw new InvalidRequestException("Unable to find '%s' in request body".formatted(singular));
        }
        return object(one);
    }

    private static ObjectNode object(JsonNode item) {
        if (!item.isObject()) {
            throw new InvalidRequestException("Body contains invalid data");
        }
        return (ObjectNode) item;
    }
}
