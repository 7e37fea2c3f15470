package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * One (router, label) row of a usage report: counts and the epoch seconds of the first and last change.
 *
 * @param time Neutron's {@code last_update - first_update}: the agent always sends it; not required, as
 *             Neutron's own clients may leave it out (the server checks it when sent); {@code null} when absent
 * @param direction {@code ingress} or {@code egress} for a label counted per direction (issue 17); {@code null}
 *                  (or absent) for usage counted both ways as one, as Neutron and agents before issue 17 count;
 *                  left out when {@code null}, so that a direction-less report reads as it did before
 */
public record UsageRow(
        @JsonProperty(value = "router_id", required = true) String routerId,
        @JsonProperty(value = "label_id", required = true) String labelId,
        @JsonProperty(value = "project_id", required = true) String projectId,
        @JsonProperty(value = "pkts", required = true) long packets,
        @JsonProperty(value = "bytes", required = true) long bytes,
        @JsonProperty("time") @JsonSetter(nulls = Nulls.SET) Long time,
        @JsonProperty(value = "first_update", required = true) long firstUpdate,
        @JsonProperty(value = "last_update", required = true) long lastUpdate,
        @JsonProperty("direction") @JsonSetter(nulls = Nulls.SET) @JsonInclude(JsonInclude.Include.NON_NULL)
        String direction) {
}
