package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /v2.0/metering/usage_reports} (docs/api.md, "Usage reports"): what an agent counted
 * in one window. The agent writes it with {@link WireJson#MAPPER}; the server reads it row by row under these
 * names, with Neutron's messages (the API module's {@code UsageReportBody}).
 */
public record UsageReportDocument(@JsonProperty(value = "usage_report", required = true) Report usageReport) {
    /**
     * @param windowStart an ISO-8601 instant, as {@link java.time.Instant#toString()} writes it
     * @param windowEnd as {@code windowStart}
     */
    public record Report(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "host", required = true) String host,
            @JsonProperty(value = "window_start", required = true) String windowStart,
            @JsonProperty(value = "window_end", required = true) String windowEnd,
            @JsonProperty(value = "usage", required = true) List<UsageRow> usage) {
    }
}
