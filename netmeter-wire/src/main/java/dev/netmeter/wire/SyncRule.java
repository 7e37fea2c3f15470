package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * A rule in the sync data, as its own endpoint renders it. Values are text here: the agent parses them rule by
 * rule, so that one it cannot meter (a prefix an older server stored) is skipped rather than failing the sync.
 *
 * @param remoteIpPrefix required, {@code null} for none
 * @param sourceIpPrefix {@code null} for none, also when absent: Neutron added the source and destination
 *                       prefixes after {@code remote_ip_prefix}, and a rule without them has none
 * @param destinationIpPrefix as {@code sourceIpPrefix}
 */
public record SyncRule(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty(value = "metering_label_id", required = true) String meteringLabelId,
        @JsonProperty(value = "direction", required = true) String direction,
        @JsonProperty(value = "excluded", required = true) boolean excluded,
        @JsonProperty(value = "remote_ip_prefix", required = true) @JsonSetter(nulls = Nulls.SET)
        String remoteIpPrefix,
        @JsonProperty("source_ip_prefix") @JsonSetter(nulls = Nulls.SET) String sourceIpPrefix,
        @JsonProperty("destination_ip_prefix") @JsonSetter(nulls = Nulls.SET) String destinationIpPrefix) {
}
