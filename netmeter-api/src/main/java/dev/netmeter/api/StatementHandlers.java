package dev.netmeter.api;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.FiveMinuteSamples;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.BillingService.Closing;
import dev.netmeter.service.BillingService.Line;
import dev.netmeter.service.BillingService.NamedAdjustment;
import dev.netmeter.service.BillingService.Statement;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /v2.0/metering/statements}: a project's statement (closed once its period's grace time passed, else
 * open) for a period of its billing cycle or for a range, as JSON or, for an {@code Accept} naming
 * {@code text/csv}, as CSV. A netmeter addition. Thread-safe.
 */
final class StatementHandlers {
    /** The longest range a statement covers: a line holds a number per five-minute sample (105,408 here). */
    static final Duration MAX_RANGE = Duration.ofDays(366);
    static final String CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
    /** The columns of the first CSV (lines only) first, then those of closing and adjustments. */
    static final String CSV_HEADER = "project_id,period,start,end,closed,label_id,label_name,direction,bytes,pkts,"
            + "p95_bps,peak_bps,samples,kind,original_period,closed_at,content_sha256";

    private static final Set<String> PARAMETERS = Set.of("project_id", "period", "start", "end");
    private static final Pattern PERIOD = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
    /** Periods whose bounds stored windows can reach: they are kept as epoch nanoseconds (up to 2262-04-11). */
    private static final YearMonth FIRST_PERIOD = YearMonth.of(1970, 1);
    private static final YearMonth LAST_PERIOD = YearMonth.of(2261, 12);
    /** What a spreadsheet takes for the start of a formula (OWASP's list): such text gets a leading quote. */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final BillingService billing;
    private final Requests requests;

    StatementHandlers(BillingService billing, Requests requests) {
        this.billing = billing;
        this.requests = requests;
    }

    void show(Context ctx) {
        RequestContext caller = requests.caller(ctx);
        Map<String, List<String>> parameters = QueryParameters.parse(ctx.queryString()).asMap();
        QueryParameters.requireKnown(parameters, PARAMETERS);
        ProjectId project = Attributes.projectId("project_id", QueryParameters.single(parameters, "project_id")
                .orElseThrow(() -> new InvalidRequestException("Failed to parse request. Required query "
                        + "parameter 'project_id' not specified")));
        Optional<YearMonth> period = QueryParameters.single(parameters, "period").map(StatementHandlers::period);
        Optional<Instant> start = QueryParameters.single(parameters, "start").map(text -> WireTime.instant("start",
                text));
        Optional<Instant> end = QueryParameters.single(parameters, "end").map(text -> WireTime.instant("end", text));
        Statement statement;
        if (start.isEmpty() && end.isEmpty()) {
            statement = billing.statement(caller, project, period);
        } else if (period.isPresent()) {
            throw new InvalidRequestException("Query parameter 'period' cannot be given with 'start' and 'end': "
                    + "a statement is for a period or for a range");
        } else if (start.isEmpty() || end.isEmpty()) {
            throw new InvalidRequestException("Query parameters 'start' and 'end' are given together: a range "
                    + "needs both");
        } else {
            checkRange(start.get(), end.get());
            statement = billing.statement(caller, project, start.get(), end.get());
        }
        if (wantsCsv(ctx.header("Accept"))) {
            ctx.status(200).contentType(CSV_CONTENT_TYPE).result(csv(statement).getBytes(StandardCharsets.UTF_8));
        } else {
            json(ctx, statement);
        }
    }

    private static YearMonth period(String text) {
        if (PERIOD.matcher(text).matches()) {
            YearMonth month = YearMonth.parse(text);
            if (!month.isBefore(FIRST_PERIOD) && !month.isAfter(LAST_PERIOD)) {
                return month;
            }
        }
        throw Attributes.invalidValue("period", "'%s' is not a period name from %s to %s such as 2026-11"
                .formatted(text, FIRST_PERIOD, LAST_PERIOD));
    }

    /** A range of whole five-minute samples, since a statement is made of them, and not too long. */
    private static void checkRange(Instant start, Instant end) {
        onFiveMinuteMark("start", start);
        onFiveMinuteMark("end", end);
        if (!end.isAfter(start)) {
            throw Attributes.invalidValue("end", "'%s' is not after start '%s'".formatted(WireTime.format(end),
                    WireTime.format(start)));
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw Attributes.invalidValue("end", "the range from '%s' to '%s' is longer than %d days"
                    .formatted(WireTime.format(start), WireTime.format(end), MAX_RANGE.toDays()));
        }
    }

    private static void onFiveMinuteMark(String name, Instant instant) {
        if (instant.getNano() != 0 || Math.floorMod(instant.getEpochSecond(), FiveMinuteSamples.SECONDS) != 0) {
            throw Attributes.invalidValue(name, ("'%s' is not on a five-minute mark such as 2026-11-01T00:05:00Z "
                    + "(statements are made of five-minute samples)").formatted(WireTime.format(instant)));
        }
    }

    /** Whether the {@code Accept} header names {@code text/csv}, with a quality above zero if it gives one. */
    static boolean wantsCsv(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts[0].trim().toLowerCase(Locale.ROOT).equals("text/csv")) {
                return quality(parts) > 0;
            }
        }
        return false;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.toLowerCase(Locale.ROOT).startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;       // a quality nobody can read: not asked for
                }
            }
        }
        return 1;
    }

    private static void json(Context ctx, Statement statement) {
        Json.respond(ctx, 200, json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("statement");
            json.writeStringField("project_id", statement.project().value());
            json.writeStringField("period", statement.period().map(YearMonth::toString).orElse(null));
            json.writeStringField("start", WireTime.format(statement.start()));
            json.writeStringField("end", WireTime.format(statement.end()));
            json.writeBooleanField("closed", statement.closing().isPresent());
            json.writeStringField("closed_at", statement.closing().map(closing -> WireTime.format(closing.closedAt()))
                    .orElse(null));
            json.writeStringField("content_sha256", statement.closing().map(Closing::contentSha256).orElse(null));
            json.writeArrayFieldStart("lines");
            for (Line named : statement.lines()) {
                StatementLine line = named.line();
                json.writeStartObject();
                json.writeStringField("label_id", line.label().toString());
                json.writeStringField("label_name", named.labelName().orElse(null));
                json.writeStringField("direction", line.direction().map(Direction::wireName).orElse(null));
                json.writeNumberField("bytes", line.bytes());
                json.writeNumberField("pkts", line.packets());
                json.writeNumberField("p95_bps", line.rate().p95Bps());
                json.writeNumberField("peak_bps", line.rate().peakBps());
                json.writeNumberField("samples", line.rate().samples());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("adjustments");
            for (NamedAdjustment named : statement.adjustments()) {
                Adjustment adjustment = named.adjustment();
                json.writeStartObject();
                json.writeStringField("label_id", adjustment.label().toString());
                json.writeStringField("label_name", named.labelName().orElse(null));
                json.writeStringField("direction", adjustment.direction().map(Direction::wireName).orElse(null));
                json.writeStringField("period", adjustment.period().toString());
                json.writeNumberField("bytes", adjustment.bytes());
                json.writeNumberField("pkts", adjustment.packets());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * RFC 4180: CRLF after each record, the header first; a statement without lines or adjustments is the header
     * alone. A line is of kind {@code line}; an adjustment of kind {@code adjustment}, with the period its usage
     * belongs to and no rate.
     */
    static String csv(Statement statement) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append("\r\n");
        List<String> closing = List.of(statement.closing().map(closed -> WireTime.format(closed.closedAt()))
                .orElse(""), statement.closing().map(Closing::contentSha256).orElse(""));
        for (Line named : statement.lines()) {
            StatementLine line = named.line();
            row(csv, statement, line.label().toString(), named.labelName(), line.direction(), line.bytes(),
                    line.packets(), List.of(Long.toString(line.rate().p95Bps()), Long.toString(line.rate().peakBps()),
                            Long.toString(line.rate().samples()), "line", ""), closing);
        }
        for (NamedAdjustment named : statement.adjustments()) {
            Adjustment adjustment = named.adjustment();
            row(csv, statement, adjustment.label().toString(), named.labelName(), adjustment.direction(),
                    adjustment.bytes(), adjustment.packets(),
                    List.of("", "", "", "adjustment", adjustment.period().toString()), closing);
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, Statement statement, String label, Optional<String> labelName,
                            Optional<Direction> direction, long bytes, long packets, List<String> rest,
                            List<String> closing) {
        List<String> fields = new ArrayList<>(List.of(text(statement.project().value()),
                statement.period().map(YearMonth::toString).orElse(""),
                WireTime.format(statement.start()), WireTime.format(statement.end()),
                Boolean.toString(statement.closing().isPresent()), label, text(labelName.orElse("")),
                direction.map(Direction::wireName).orElse(""), Long.toString(bytes), Long.toString(packets)));
        fields.addAll(rest);
        fields.addAll(closing);
        csv.append(String.join(",", fields)).append("\r\n");
    }

    /**
     * Free text as a CSV field: a leading quote before what a spreadsheet would run as a formula (CSV injection),
     * then quoted if it holds a comma, a quote, CR or LF, quotes doubled.
     */
    static String text(String value) {
        String guarded = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (guarded.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
            return '"' + guarded.replace("\"", "\"\"") + '"';
        }
        return guarded;
    }
}
