package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import java.util.Map;

/**
 * A router in the sync data: where its counters live, and the ids of the labels that apply to it.
 *
 * <p>Written in the order of its own endpoint: the other attributes come between the id and the namespace.
 *
 * @param resource the router's other attributes, as its own endpoint renders them (name, status, …): written
 *                 for people reading the answer, carried through by the agent but never read by it
 */
@JsonPropertyOrder({"id", "resource", "namespace", "external_interface", "_metering_labels"})
public record SyncRouter(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "namespace", required = true) String namespace,
        @JsonProperty(value = "external_interface", required = true) String externalInterface,
        @JsonProperty(value = "_metering_labels", required = true) List<String> meteringLabels,
        @JsonAnyGetter @JsonAnySetter @JsonSetter(nulls = Nulls.SET) Map<String, Object> resource) {
    public SyncRouter {
        resource = SyncDocument.otherAttributes(resource);
    }
}
