package dev.netmeter.server;

import dev.netmeter.api.identity.MutableClock;
import static dev.netmeter.server.UsageApiContract.AGENT;
import static dev.netmeter.server.UsageApiContract.REPORTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Statements over HTTP, on every database, from reports the agent sends: the JSON of a period and of a range
 * (figures by hand), the same as CSV with label names that need quoting or would start a formula, strict 400s
 * for bad parameters, and a tenant reading its own project's statements only (404 for another's).
 */
abstract class StatementApiContract extends HttpContract {
    static final String STATEMENTS = "/v2.0/metering/statements";
    /** The server's time: November 2026 in progress, so that its statements are open. */
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String NOVEMBER = "?period=2026-11&project_id=";
    private static final String NOT_ON_A_MARK = " is not on a five-minute mark such as 2026-11-01T00:05:00Z "
            + "(statements are made of five-minute samples).";

    @Override
    RunningServer startServer() {
        return RunningServer.start(backend(), new MutableClock(NOW));
    }

    @Test
    void a_periods_statement_has_a_line_per_label_named_if_the_label_exists() {
        String project = newProject();
        String web = createLabel(project, "web");
        String gone = UsageApiContract.uuid();
        send(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", web, 100, 37_500, gone, 2, 600);

        Response shown = api.get(STATEMENTS + NOVEMBER + project, Caller.member(project));

        assertThat(shown.status()).as("%s", shown).isEqualTo(200);
        // 37,500 bytes in one five-minute sample: 1,000 bit/s; 600 bytes: 16 bit/s. Two busy samples of 8,640:
        // the 95th percentile is a zero one.
        assertThat(shown.json()).isEqualTo(statement(project, "2026-11", "2026-11-01T00:00:00Z",
                "2026-12-01T00:00:00Z", line(web, "web", 37_500, 100, 0, 1_000, 8_640),
                line(gone, null, 600, 2, 0, 16, 8_640)));
    }

    @Test
    void a_ranges_statement_has_no_period_and_counts_its_own_samples() {
        String project = newProject();
        String web = createLabel(project, "web");
        // 600 s from 12:00: half in the range's second sample, half after it
        send(project, "2026-11-10T12:05:00Z", "2026-11-10T12:15:00Z", web, 10, 75_000);

        Response shown = api.get(STATEMENTS + "?project_id=" + project
                + "&start=2026-11-10T12:00:00Z&end=2026-11-10T12:10:00Z", Caller.ADMIN);

        // two samples, none dropped: the 95th percentile is the peak, 37,500 bytes = 1,000 bit/s
        assertThat(shown.json()).isEqualTo(statement(project, null, "2026-11-10T12:00:00Z", "2026-11-10T12:10:00Z",
                line(web, "web", 37_500, 5, 1_000, 1_000, 2)));
    }

    @Test
    void without_a_period_or_range_the_statement_is_of_the_current_period() {
        String project = newProject();

        JsonNode statement = api.get(STATEMENTS + "?project_id=" + project, Caller.member(project)).json()
                .path("statement");

        assertThat(statement.path("period").asText()).isEqualTo("2026-11");
        assertThat(statement.path("lines").isArray()).isTrue();
        assertThat(statement.path("lines").isEmpty()).isTrue();
    }

    @Test
    void as_csv_label_names_are_quoted_and_kept_from_starting_a_formula() {
        String project = newProject();
        String quoted = createLabel(project, "a,b \"c\"\nd");
        String formula = createLabel(project, "=SUM(A1)");
        send(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", quoted, 1, 300, formula, 2, 600);
        Map<String, String> headers = Caller.member(project).headers();
        headers.put("Accept", "text/csv");

        Response csv = api.send("GET", STATEMENTS + NOVEMBER + project, headers, BodyPublishers.noBody());

        assertThat(csv.status()).as("%s", csv).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
        String prefix = project + ",2026-11,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,false,";
        List<String> rows = Stream.of(
                prefix + quoted + ",\"a,b \"\"c\"\"\nd\",,300,1,0,8,8640",
                prefix + formula + ",'=SUM(A1),,600,2,0,16,8640")
                .sorted(Comparator.comparing(row -> row.substring(prefix.length())))    // by label id, as text
                .toList();
        assertThat(csv.body()).isEqualTo("project_id,period,start,end,closed,label_id,label_name,direction,bytes,"
                + "pkts,p95_bps,peak_bps,samples,kind,original_period,closed_at,content_sha256\r\n" + rows.get(0)
                + ",line,,,\r\n" + rows.get(1) + ",line,,,\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/xml", "text/csv;q=0", "*/*"})
    void other_accept_values_are_answered_with_json(String accept) {
        String project = newProject();
        Map<String, String> headers = Caller.ADMIN.headers();
        headers.put("Accept", accept);

        Response shown = api.send("GET", STATEMENTS + NOVEMBER + project, headers, BodyPublishers.noBody());

        assertThat(shown.status()).as("%s", shown).isEqualTo(200);
        assertThat(shown.json().path("statement").path("project_id").asText()).isEqualTo(project);
    }

    @Test
    void a_tenant_reads_its_own_projects_statements_and_an_admin_any() {
        String project = newProject();
        String other = newProject();

        assertNeutronError(api.get(STATEMENTS + NOVEMBER + other, Caller.member(project)), 404, "StatementNotFound",
                "Statement of project %s could not be found".formatted(other));
        assertThat(api.get(STATEMENTS + NOVEMBER + other, Caller.ADMIN).status()).isEqualTo(200);
        assertThat(api.get(STATEMENTS + NOVEMBER + project, Caller.member(project)).status()).isEqualTo(200);
    }

    static Stream<Arguments> invalidQueries() {
        String p = "project_id=p1";
        return Stream.of(
                arguments("period=2026-11", "Failed to parse request. Required query parameter 'project_id' not "
                        + "specified"),
                arguments(p + "&color=red", "Unrecognized query parameter 'color'"),
                arguments(p + "&project_id=p2", "Query parameter 'project_id' given more than once"),
                arguments(p + "&period=2026-13", "Invalid input for period. Reason: '2026-13' is not a period name "
                        + "from 1970-01 to 2261-12 such as 2026-11."),
                arguments(p + "&period=26-11", "Invalid input for period. Reason: '26-11' is not a period name "
                        + "from 1970-01 to 2261-12 such as 2026-11."),
                arguments(p + "&period=2262-01", "Invalid input for period. Reason: '2262-01' is not a period name "
                        + "from 1970-01 to 2261-12 such as 2026-11."),
                arguments(p + "&period=2026-11&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00Z",
                        "Query parameter 'period' cannot be given with 'start' and 'end': a statement is for a "
                                + "period or for a range"),
                arguments(p + "&start=2026-11-01T00:00:00Z",
                        "Query parameters 'start' and 'end' are given together: a range needs both"),
                arguments(p + "&end=2026-11-01T00:00:00Z",
                        "Query parameters 'start' and 'end' are given together: a range needs both"),
                arguments(p + "&start=yesterday&end=2026-11-01T00:00:00Z", "Invalid input for start. Reason: "
                        + "'yesterday' is not an ISO-8601 instant such as 2026-11-23T20:00:00Z."),
                arguments(p + "&start=2026-11-01T00:00:00Z&end=2026-11-01T00:00:00Z", "Invalid input for end. "
                        + "Reason: '2026-11-01T00:00:00Z' is not after start '2026-11-01T00:00:00Z'."),
                arguments(p + "&start=2026-11-01T00:01:00Z&end=2026-11-02T00:00:00Z",
                        "Invalid input for start. Reason: '2026-11-01T00:01:00Z'" + NOT_ON_A_MARK),
                arguments(p + "&start=2026-11-01T00:00:00Z&end=2026-11-02T00:00:00.5Z",
                        "Invalid input for end. Reason: '2026-11-02T00:00:00.500Z'" + NOT_ON_A_MARK),
                arguments(p + "&start=2026-01-01T00:00:00Z&end=2027-01-02T00:05:00Z", "Invalid input for end. "
                        + "Reason: the range from '2026-01-01T00:00:00Z' to '2027-01-02T00:05:00Z' is longer than "
                        + "366 days."),
                arguments("project_id=" + "a".repeat(256), "Invalid input for project_id. Reason: '"
                        + "a".repeat(256) + "' exceeds maximum length of 255."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void bad_parameters_are_refused(String query, String message) {
        assertNeutronError(api.get(STATEMENTS + "?" + query, Caller.ADMIN), 400, "HTTPBadRequest", message);
    }

    @Test
    void a_range_of_366_days_is_answered() {
        Response shown = api.get(STATEMENTS + "?project_id=" + newProject()
                + "&start=2026-01-01T00:00:00Z&end=2027-01-02T00:00:00Z", Caller.ADMIN);

        assertThat(shown.status()).as("%s", shown).isEqualTo(200);
        assertThat(shown.json().path("statement").path("end").asText()).isEqualTo("2027-01-02T00:00:00Z");
    }

    @Test
    void a_label_counted_per_direction_has_a_line_per_direction() {
        String project = newProject();
        String web = createLabel(project, "web");
        String router = UsageApiContract.uuid();
        long at = Instant.parse("2026-11-10T12:00:00Z").getEpochSecond();
        Map<String, Object> in = UsageApiContract.rowAt(router, web, project, 10, 75_000, at, at);
        in.put("direction", "ingress");
        Map<String, Object> out = UsageApiContract.rowAt(router, web, project, 4, 3_000, at, at);
        out.put("direction", "egress");
        Map<String, Object> both = UsageApiContract.rowAt(router, web, project, 1, 300, at, at);
        assertThat(api.post(REPORTS, AGENT, UsageApiContract.report(UsageApiContract.uuid(), "statement-host",
                Instant.parse("2026-11-10T12:00:00Z"), Instant.parse("2026-11-10T12:05:00Z"), in, out, both))
                .status()).isEqualTo(201);

        JsonNode lines = api.get(STATEMENTS + "?project_id=" + project
                + "&start=2026-11-10T12:00:00Z&end=2026-11-10T12:05:00Z", Caller.ADMIN).json()
                .path("statement").path("lines");

        // one sample each: 75,000 bytes in 300 s = 2,000 bit/s; 3,000 = 80 bit/s; 300 = 8 bit/s
        assertThat(lines).isEqualTo(UsageApiContract.tree(ApiClient.JSON.createArrayNode()
                .add(line(web, "web", 300, 1, 8, 8, 1))
                .add(line(web, "web", 75_000, 10, 2_000, 2_000, 1).put("direction", "ingress"))
                .add(line(web, "web", 3_000, 4, 80, 80, 1).put("direction", "egress")).toString()));
    }

    /** Sends, as the agent, a report of {@code [start, end)} on one router: label, packets, bytes, label, …. */
    private void send(String project, String start, String end, Object... labelsPacketsBytes) {
        String router = UsageApiContract.uuid();
        long at = Instant.parse(start).getEpochSecond();
        Object[] rows = new Object[labelsPacketsBytes.length / 3];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = UsageApiContract.rowAt(router, (String) labelsPacketsBytes[3 * i], project,
                    ((Number) labelsPacketsBytes[3 * i + 1]).longValue(),
                    ((Number) labelsPacketsBytes[3 * i + 2]).longValue(), at, at);
        }
        Response sent = api.post(REPORTS, AGENT, UsageApiContract.report(UsageApiContract.uuid(), "statement-host",
                Instant.parse(start), Instant.parse(end), rows));
        assertThat(sent.status()).as("%s", sent).isEqualTo(201);
    }

    /** As parsed from text, so that numbers compare as the answer's do (IntNode, not LongNode). */
    private static JsonNode statement(String project, String period, String start, String end,
                                        ObjectNode... lines) {
        ObjectNode statement = ApiClient.JSON.createObjectNode();
        statement.put("project_id", project).put("period", period).put("start", start).put("end", end)
                .put("closed", false).putNull("closed_at").putNull("content_sha256");
        ArrayNode array = statement.putArray("lines");
        Stream.of(lines).sorted(Comparator.comparing(line -> line.path("label_id").asText()))
                .forEach(array::add);
        statement.putArray("adjustments");
        ObjectNode root = ApiClient.JSON.createObjectNode();
        root.set("statement", statement);
        return UsageApiContract.tree(root.toString());
    }

    private static ObjectNode line(String label, String name, long bytes, long packets, long p95, long peak,
                                   long samples) {
        return ApiClient.JSON.createObjectNode().put("label_id", label).put("label_name", name)
                .putNull("direction").put("bytes", bytes).put("pkts", packets).put("p95_bps", p95)
                .put("peak_bps", peak).put("samples", samples);
    }
}
