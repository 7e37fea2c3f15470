package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import java.util.Map;

/**
 * A label in the sync data, with its rules.
 *
 * @param projectId the project its usage is reported under
 * @param resource the label's other attributes, as its own endpoint renders them (name, shared, …): carried
 *                 through by the agent but never read by it
 */
public record SyncLabel(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "project_id", required = true) String projectId,
        @JsonProperty(value = "rules", required = true) List<SyncRule> rules,
        @JsonAnyGetter @JsonAnySetter @JsonSetter(nulls = Nulls.SET) Map<String, Object> resource) {
    public SyncLabel {
        resource = SyncDocument.otherAttributes(resource);
    }
}
