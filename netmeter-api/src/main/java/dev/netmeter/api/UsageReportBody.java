package dev.netmeter.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.wire.UsageReportDocument;
import dev.netmeter.wire.UsageRow;
import dev.netmeter.wire.WireJson;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The body of {@code POST /v2.0/metering/usage_reports} ({@link UsageReportDocument}), read from a streaming
 * parser: a report of 100,000 rows is parsed row by row, each row a small tree checked as {@link Attributes} checks
 * a resource with Neutron's messages (which clients and tests match), then bound to the wire record
 * {@link UsageRow}; no report is ever held as a tree or a list of records whole.
 * {@code time} (Neutron's, {@code last_update - first_update}) is optional and, when sent, must be exactly that.
 * Thread-safe (stateless).
 */
final class UsageReportBody {
    /** The last whole second usage can be queried for (2262-04-11: instants are stored as epoch nanoseconds). */
    static final long MAX_EPOCH_SECOND = WireTime.LATEST.getEpochSecond();
    /**
     * The largest count a row may hold: 2^53 - 1, exact as a JSON number in every client, and far above what a
     * link carries in a report interval (100 Gbit/s for a day is about 2^50 bytes).
     */
    static final long MAX_COUNT = (1L << 53) - 1;
    // The names are the wire records' (the agent writes them), checked here in their order with Neutron's messages.
    private static final Set<String> REPORT_ATTRIBUTES = Set.copyOf(
            WireJson.properties(UsageReportDocument.Report.class));
    private static final List<String> REPORT_REQUIRED = WireJson.requiredProperties(UsageReportDocument.Report.class);
    private static final Set<String> ROW_ATTRIBUTES = Set.copyOf(WireJson.properties(UsageRow.class));
    private static final List<String> ROW_REQUIRED = WireJson.requiredProperties(UsageRow.class);
    private static final String COUNT = "a non-negative integer";
    /** Stands for every project in the key a row must not repeat: (router, label, direction). */
    private static final ProjectId ANY_PROJECT = new ProjectId("");
    private static final String ROW_COUNT = "an integer from 0 to " + MAX_COUNT;
    private static final String EPOCH_SECOND = "an epoch second from 0 to " + MAX_EPOCH_SECOND;

    /** Reads one value inside the document: the shared mapper would insist that the document ends after it. */
    private static final ObjectReader VALUES = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private UsageReportBody() {
    }

    private static JsonNode tree(JsonParser parser) throws IOException {
        return VALUES.readTree(parser);
    }

    /** Reads {@code {"usage_report": {...}}}; other top-level keys are ignored, as Neutron ignores them. */
    static NewUsageReport read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRequestException("Body contains invalid data");
        }
        NewUsageReport report = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals("usage_report")) {
                report = report(parser);
            } else {
                parser.skipChildren();
            }
        }
        if (report == null) {
            throw new InvalidRequestException("Unable to find 'usage_report' in request body");
        }
        return report;
    }

    private static NewUsageReport report(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidRequestException("Body contains invalid data");
        }
        ObjectNode header = Json.MAPPER.createObjectNode();
        Map<UsageKey, Usage> rows = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if (name.equals("usage")) {
                if (parser.currentToken() != JsonToken.START_ARRAY) {
                    JsonNode value = tree(parser);
                    throw Attributes.invalidValue("usage", "'%s' is not a list".formatted(Attributes.python(value)));
                }
                rows = rows(parser);
                header.set(name, NullNode.getInstance());     // present; the rows are read
            } else {
                header.set(name, tree(parser));
            }
        }
        Attributes attributes = Attributes.forPost(header, REPORT_ATTRIBUTES, Set.of(), REPORT_REQUIRED, List.of());
        UUID id = UUID.fromString(attributes.uuid("id"));
        String host = attributes.linuxName("host", LinuxNames::hostNameProblem).orElseThrow();
        Instant windowStart = WireTime.instant("window_start", header.get("window_start"));
        Instant windowEnd = WireTime.instant("window_end", header.get("window_end"));
        if (windowEnd.isBefore(windowStart)) {
            throw Attributes.invalidValue("window_end", "'%s' is before window_start '%s'".formatted(
                    WireTime.format(windowEnd), WireTime.format(windowStart)));
        }
        return new NewUsageReport(host, new UsageReport(id, windowStart, windowEnd, rows));
    }

    private static Map<UsageKey, Usage> rows(JsonParser parser) throws IOException {
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        Map<UsageKey, Integer> indexes = new HashMap<>();
        for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
            if (index == NewUsageReport.MAX_ROWS) {
                throw Attributes.invalidValue("usage", "more than %d rows".formatted(NewUsageReport.MAX_ROWS));
            }
            JsonNode item = tree(parser);
            Map.Entry<UsageKey, Usage> row;
            try {
                if (!(item instanceof ObjectNode object)) {
                    throw new InvalidRequestException("Body contains invalid data");
                }
                row = row(object);
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException("usage[%d]: %s".formatted(index, e.getMessage()));
            }
            UsageKey key = row.getKey();
            Integer earlier = indexes.putIfAbsent(new UsageKey(key.router(), key.label(), ANY_PROJECT,
                    key.direction()), index);
            if (earlier != null) {
                String keyText = key.direction()
                        .map(direction -> "router_id %s, label_id %s and direction %s are".formatted(key.router(),
                                key.label(), direction.wireName()))
                        .orElseGet(() -> "router_id %s and label_id %s are".formatted(key.router(), key.label()));
                throw new InvalidRequestException("usage[%d]: %s already in usage[%d]".formatted(index, keyText,
                        earlier));
            }
            rows.put(key, row.getValue());
        }
        return rows;
    }

    /**
     * One row: Neutron's checks first, with its messages (names, presence, types, ranges); then the row is bound
     * to {@link UsageRow}, the record the agent writes, and what is stored comes from that record.
     */
    private static Map.Entry<UsageKey, Usage> row(ObjectNode item) {
        check(item);
        UsageRow row;
        try {
            row = WireJson.MAPPER.treeToValue(item, UsageRow.class);
        } catch (JsonProcessingException e) {
            // Not reached when the checks passed (they refuse all the binding refuses); a message all the same.
            throw new InvalidRequestException("Body contains invalid data: " + e.getOriginalMessage());
        }
        return Map.entry(new UsageKey(new RouterId(UUID.fromString(row.routerId())),
                        new LabelId(UUID.fromString(row.labelId())), new ProjectId(row.projectId()),
                        Optional.ofNullable(row.direction()).flatMap(Direction::fromWire)),
                new Usage(row.packets(), row.bytes(), Instant.ofEpochSecond(row.firstUpdate()),
                        Instant.ofEpochSecond(row.lastUpdate())));
    }

    private static void check(ObjectNode item) {
        Attributes attributes = Attributes.forPost(item, ROW_ATTRIBUTES, Set.of(), ROW_REQUIRED, List.of());
        attributes.uuid("router_id");
        attributes.uuid("label_id");
        attributes.string("project_id", ProjectId.MAX_LENGTH, "");
        attributes.integer("pkts", MAX_COUNT, ROW_COUNT);
        attributes.integer("bytes", MAX_COUNT, ROW_COUNT);
        long first = attributes.integer("first_update", MAX_EPOCH_SECOND, EPOCH_SECOND);
        long last = attributes.integer("last_update", MAX_EPOCH_SECOND, EPOCH_SECOND);
        if (last < first) {
            throw Attributes.invalidValue("last_update", "'%d' is before first_update '%d'".formatted(last, first));
        }
        if (item.hasNonNull("direction")) {
            attributes.oneOf("direction", Attributes.DIRECTIONS);
        }
        if (item.has("time") && attributes.integer("time", MAX_EPOCH_SECOND, COUNT) != last - first) {
            throw Attributes.invalidValue("time", "'%s' is not last_update - first_update (%d)"
                    .formatted(item.get("time"), last - first));
        }
    }
}
