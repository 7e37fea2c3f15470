package dev.netmeter.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import java.util.Map;

/**
 * The agent's usage ledger on disk: counts not yet reported, so a field that reads as a default would bill
 * wrongly. The field names are those the agent wrote before these records, so a ledger on disk still loads after
 * an upgrade in place.
 *
 * @param format {@link #FORMAT}; another is refused by the reader
 * @param windowStart the open window's start, an ISO-8601 instant
 * @param projects each label's project, by label id
 * @param tables each router's namespace, by router id; {@code null} in a ledger written before the agent kept
 *               them (with the totals' and rows' directions, the properties a ledger may lack)
 * @param totals the counters' totals when last read
 * @param window the open window's usage
 * @param unacknowledged reports sent, or to send, that the server has not acknowledged
 */
public record LedgerDocument(
        @JsonProperty(value = "format", required = true) int format,
        @JsonProperty(value = "window_start", required = true) String windowStart,
        @JsonProperty(value = "projects", required = true) Map<String, String> projects,
        @JsonProperty("tables") @JsonSetter(nulls = Nulls.SET) Map<String, String> tables,
        @JsonProperty(value = "totals", required = true) List<Total> totals,
        @JsonProperty(value = "window", required = true) List<Row> window,
        @JsonProperty(value = "unacknowledged", required = true) List<Report> unacknowledged) {
    /** The only format there is. */
    public static final int FORMAT = 1;

    /**
     * A (router, label, direction)'s counter totals when last read.
     *
     * @param direction {@code "ingress"} or {@code "egress"}; {@code null} for a label's direction-less counter
     *                  (all a ledger written before issue 17 holds), and then not written, so that such a ledger is
     *                  written back byte for byte as it was read
     */
    public record Total(
            @JsonProperty(value = "router", required = true) String router,
            @JsonProperty(value = "label", required = true) String label,
            @JsonProperty(value = "project", required = true) String project,
            @JsonProperty(value = "packets", required = true) long packets,
            @JsonProperty(value = "bytes", required = true) long bytes,
            @JsonProperty("direction") @JsonSetter(nulls = Nulls.SET) @JsonInclude(JsonInclude.Include.NON_NULL)
            String direction) {
    }

    /**
     * A (router, label, direction)'s usage in a window; the times are ISO-8601 instants.
     *
     * @param direction as {@link Total#direction()}
     */
    public record Row(
            @JsonProperty(value = "router", required = true) String router,
            @JsonProperty(value = "label", required = true) String label,
            @JsonProperty(value = "project", required = true) String project,
            @JsonProperty(value = "packets", required = true) long packets,
            @JsonProperty(value = "bytes", required = true) long bytes,
            @JsonProperty(value = "first_update", required = true) String firstUpdate,
            @JsonProperty(value = "last_update", required = true) String lastUpdate,
            @JsonProperty("direction") @JsonSetter(nulls = Nulls.SET) @JsonInclude(JsonInclude.Include.NON_NULL)
            String direction) {
    }

    /** A closed window, as the report it was sent as. */
    public record Report(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "window_start", required = true) String windowStart,
            @JsonProperty(value = "window_end", required = true) String windowEnd,
            @JsonProperty(value = "usage", required = true) List<Row> usage) {
    }
}
