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
 * A label in the sync data, with its rules.
 *
 * <p>Written in nearly the order of its own endpoint: the other attributes after the id, then the project and
 * the rules.
 *
 * @param projectId the project its usage is reported under
 * @param resource the label's other attributes, as its own endpoint renders them (name, shared, …): carried
 *                 through by the agent but never read by it
 */
@JsonPropertyOrder({"id", "resource", "project_id", "rules"})
public record SyncLabel(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "project_id", required = true) String projectId,
        @JsonProperty(value = "rules", required = true) List<SyncRule> rules,
        @JsonAnyGetter @JsonAnySetter @JsonSetter(nulls = Nulls.SET) Map<String, Object> resource) {
    public SyncLabel {
        resource = SyncDocument.otherAttributes(resource);
    }
}
