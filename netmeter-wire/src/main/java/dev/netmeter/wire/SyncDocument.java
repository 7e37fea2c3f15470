package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /v2.0/metering/sync} (docs/api.md, "Sync"): what one agent host meters. The server
 * writes it, the agent binds it; both with {@link WireJson#MAPPER}.
 *
 * <p>The server streams it: its lists may be views that make each item as it is written, so the answer for a
 * large host (megabytes) is never held in memory whole, as a tree or as records.
 */
public record SyncDocument(@JsonProperty(value = "sync", required = true) Sync sync) {
    /**
     * The data of one host as of {@code revision}. Routers name their labels by id; each label is listed once.
     *
     * @param host the host asked for: written by the server, not required of it, as the agent knows which host it
     *             asked for and does not read it back ({@code null} when absent)
     */
    public record Sync(
            @JsonProperty("host") @JsonSetter(nulls = Nulls.SET) String host,
            @JsonProperty(value = "revision", required = true) long revision,
            @JsonProperty(value = "routers", required = true) List<SyncRouter> routers,
            @JsonProperty(value = "metering_labels", required = true) List<SyncLabel> meteringLabels) {
    }

    /** A router's or a label's other attributes: none when absent; in order, so equal data is written the same. */
    static Map<String, Object> otherAttributes(Map<String, Object> attributes) {
        return attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
