package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.api.ApiSettings;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Usage over HTTP, on every database: an agent's report is stored once (201, then 200 with the same body for
 * a resend, 409 for other content under its id, one 201 among 20 concurrent sendings), every invalid report is
 * a 400 that stores nothing, and {@code GET /v2.0/metering/usage} answers sums computed by hand for each of
 * Neutron's granularities, with steps, ranges and filters, scoped to the caller's project.
 */
abstract class UsageApiContract extends HttpContract {
    static final String REPORTS = "/v2.0/metering/usage_reports";
    static final String USAGE = "/v2.0/metering/usage";
    static final Caller AGENT = new Caller("agent", "services", "agent-user", "agent");
    /** 2026-11-23T20:00:00Z, a round hour: the epoch second that report rows count from. */
    static final long T0 = Instant.parse("2026-11-23T20:00:00Z").getEpochSecond();

    // --- ingest ---

    @Test
    void a_report_is_created_then_a_resend_answers_the_same_and_other_content_is_a_conflict() {
        String id = uuid();
        String label = uuid();
        String report = report(id, "net-node-1", row(uuid(), label, newProject(), 10, 1000, 0, 240));

        Response created = api.post(REPORTS, AGENT, report);
        Response resent = api.post(REPORTS, AGENT, report);

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        JsonNode stored = created.json().path("usage_report");
        assertThat(stored).isEqualTo(ApiClient.JSON.createObjectNode().put("id", id).put("host", "net-node-1")
                .put("window_start", "2026-11-23T20:00:00Z").put("window_end", "2026-11-23T20:05:00.123Z")
                .put("rows", 1));
        assertThat(resent.status()).as("%s", resent).isEqualTo(200);
        assertThat(resent.body()).isEqualTo(created.body());
        assertThat(usageOfLabel(label)).extracting(row -> row.path("pkts").asLong()).containsExactly(10L);

        String changed = report.replace("\"bytes\":1000", "\"bytes\":1001");
        assertNeutronError(api.post(REPORTS, AGENT, changed), 409, "UsageReportConflict",
                "Usage report %s was already received with different content.".formatted(stored.path("id").asText()));
        assertThat(usageOfLabel(label)).extracting(row -> row.path("bytes").asLong()).containsExactly(1000L);
    }

    @Test
    void an_empty_report_is_a_heartbeat_and_window_times_keep_their_precision() {
        String id = uuid();
        String report = json(Map.of("usage_report", Map.of("id", id, "host", "net-node-2",
                "window_start", "2026-11-23T20:00:00Z", "window_end", "2026-11-23T20:05:00.123456789Z",
                "usage", List.of())));

        Response created = api.post(REPORTS, AGENT, report);

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.json().path("usage_report").path("window_end").asText())
                .isEqualTo("2026-11-23T20:05:00.123456789Z");
        assertThat(created.json().path("usage_report").path("rows").asInt()).isZero();
    }

    @RepeatedTest(3)
    void twenty_concurrent_sendings_of_one_report_create_it_once() throws Exception {
        String label = uuid();
        String report = report(uuid(), "net-node-" + uuid().substring(0, 8), row(uuid(), label, newProject(), 5, 50,
                0, 10));
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try (ApiClient client = new ApiClient(api)) {
                        start.await(10, TimeUnit.SECONDS);
                        return client.post(REPORTS, AGENT, report);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            start.countDown();
        }
        List<Response> responses = answers.stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(Response::status).containsOnly(200, 201).filteredOn(status -> status == 201)
                .hasSize(1);
        assertThat(responses).extracting(Response::body).containsOnly(responses.getFirst().body());
        assertThat(usageOfLabel(label)).extracting(row -> row.path("pkts").asLong()).containsExactly(5L);
    }

    static Stream<Arguments> invalidReports() {
        return Stream.of(
                invalid("no envelope", body -> body.remove("usage_report"),
                        "Unable to find 'usage_report' in request body"),
                invalidAttribute("id", null, "Failed to parse request. Required attribute 'id' not specified"),
                invalidAttribute("host", null, "Failed to parse request. Required attribute 'host' not specified"),
                invalidAttribute("window_start", null,
                        "Failed to parse request. Required attribute 'window_start' not specified"),
                invalidAttribute("usage", null, "Failed to parse request. Required attribute 'usage' not specified"),
                invalidAttribute("bogus", 1, "Unrecognized attribute(s) 'bogus'"),
                invalidAttribute("id", "8d1c", "Invalid input for id. Reason: '8d1c' is not a valid UUID."),
                invalidAttribute("host", "net node", "Invalid input for host. Reason: 'net node' is not a valid host "
                        + "name: 1 to 255 of A-Z a-z 0-9 _ . -, not starting with -, not . or ..."),
                invalidAttribute("window_start", "yesterday", "Invalid input for window_start. Reason: 'yesterday' is "
                        + "not an ISO-8601 instant such as 2026-11-23T20:00:00Z."),
                invalidAttribute("window_end", 1795457100, "Invalid input for window_end. Reason: '1795457100' is not "
                        + "an ISO-8601 instant such as 2026-11-23T20:00:00Z."),
                invalidAttribute("window_end", "2026-11-23T19:59:59.999Z", "Invalid input for window_end. Reason: "
                        + "'2026-11-23T19:59:59.999Z' is before window_start '2026-11-23T20:00:00Z'."),
                invalidAttribute("usage", "none", "Invalid input for usage. Reason: 'none' is not a list."),
                invalidAttribute("window_start", "1677-09-21T00:12:43.5Z", "Invalid input for window_start. Reason: "
                        + "'1677-09-21T00:12:43.5Z' is not between 1677-09-21T00:12:44Z and "
                        + "2262-04-11T23:47:16.854775807Z."),
                invalidRow("pkts", null, "Failed to parse request. Required attribute 'pkts' not specified"),
                invalidRow("bogus", 1, "Unrecognized attribute(s) 'bogus'"),
                invalidRow("router_id", "r1", "Invalid input for router_id. Reason: 'r1' is not a valid UUID."),
                invalidRow("label_id", 7, "Invalid input for label_id. Reason: '7' is not a valid UUID."),
                invalidRow("pkts", -1, "Invalid input for pkts. Reason: '-1' is not an integer from 0 to "
                        + "9007199254740991."),
                invalidRow("bytes", -10, "Invalid input for bytes. Reason: '-10' is not an integer from 0 to "
                        + "9007199254740991."),
                invalidRow("pkts", 1.5, "Invalid input for pkts. Reason: '1.5' is not an integer from 0 to "
                        + "9007199254740991."),
                invalidRow("bytes", "10", "Invalid input for bytes. Reason: '10' is not an integer from 0 to "
                        + "9007199254740991."),
                invalidRow("bytes", 9_007_199_254_740_992L, "Invalid input for bytes. Reason: '9007199254740992' is "
                        + "not an integer from 0 to 9007199254740991."),
                invalidRow("first_update", -1, "Invalid input for first_update. Reason: '-1' is not an epoch "
                        + "second from 0 to 9223372036."),
                invalidRow("last_update", 9_223_372_037L, "Invalid input for last_update. Reason: '9223372037' is "
                        + "not an epoch second from 0 to 9223372036."),
                invalidRow("last_update", T0 - 1, "Invalid input for last_update. Reason: '%d' is before "
                        .formatted(T0 - 1) + "first_update '%d'.".formatted(T0)),
                invalidRow("time", 59, "Invalid input for time. Reason: '59' is not last_update - first_update "
                        + "(60)."),
                invalid("a row twice",
                        report -> rows(report).add(((ObjectNode) rows(report).get(0)).deepCopy().put("pkts", 2)),
                        "usage[1]: router_id {router} and label_id {label} are already in usage[0]"),
                // Neutron's message for a rule's direction, word for word (no quotes).
                invalidRow("direction", "INGRESS", "Invalid input for direction. Reason: INGRESS is not in "
                        + "valid_values."),
                invalidRow("direction", "", "Invalid input for direction. Reason:  is not in valid_values."),
                invalid("a row twice in one direction", report -> {
                    ((ObjectNode) rows(report).get(0)).put("direction", "egress");
                    rows(report).add(((ObjectNode) rows(report).get(0)).deepCopy().put("pkts", 2));
                }, "usage[1]: router_id {router}, label_id {label} and direction egress are already in usage[0]"),
                invalid("a row that is not an object", report -> rows(report).add(3),
                        "usage[1]: Body contains invalid data"));
    }

    private static Arguments invalid(String name, Consumer<ObjectNode> change, String message) {
        return arguments(name, change, message);
    }

    private static Arguments invalidAttribute(String attribute, Object value, String message) {
        return invalid("%s: %s".formatted(attribute, value), report -> {
            ObjectNode inner = (ObjectNode) report.path("usage_report");
            if (value == null) {
                inner.remove(attribute);
            } else {
                inner.set(attribute, ApiClient.JSON.valueToTree(value));
            }
        }, message);
    }

    private static Arguments invalidRow(String attribute, Object value, String message) {
        return invalid("row %s: %s".formatted(attribute, value), report -> {
            ObjectNode row = (ObjectNode) rows(report).get(0);
            if (value == null) {
                row.remove(attribute);
            } else {
                row.set(attribute, ApiClient.JSON.valueToTree(value));
            }
        }, "usage[0]: " + message);
    }

    private static ArrayNode rows(ObjectNode report) {
        return (ArrayNode) report.path("usage_report").path("usage");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReports")
    void an_invalid_report_is_a_bad_request_and_stores_nothing(String name, Consumer<ObjectNode> change,
                                                                String message) {
        String id = uuid();
        String router = uuid();
        String label = uuid();
        String valid = report(id, "net-node-1", row(router, label, "p1", 1, 10, 0, 60));
        ObjectNode invalid = (ObjectNode) tree(valid);
        change.accept(invalid);

        assertNeutronError(api.post(REPORTS, AGENT, json(invalid)), 400, "HTTPBadRequest",
                message.replace("{router}", router).replace("{label}", label));
        assertThat(api.post(REPORTS, AGENT, valid).status()).as("the id is still free").isEqualTo(201);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{]                 | MalformedRequestBody | Malformed request body: Cannot understand JSON.",
            "{\"x\": 1, \"x\": 2} | MalformedRequestBody | Malformed request body: Cannot understand JSON.",
            "[]                                 | HTTPBadRequest       | Body contains invalid data",
            "'  '                               | HTTPBadRequest       | Resource body required",
    })
    void a_body_that_is_not_a_report_object_is_a_bad_request(String body, String type, String message) {
        assertNeutronError(api.post(REPORTS, AGENT, body), 400, type, message);
    }

    @Test
    void a_body_of_bytes_that_are_no_characters_is_malformed_not_a_server_error() {
        byte[] notUtf32 = {0, 0, 0, 0x7B, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};    // read as UTF-32
        for (String path : List.of(REPORTS, ApiClient.LABELS)) {
            assertNeutronError(api.post(path, Caller.ADMIN,
                            java.net.http.HttpRequest.BodyPublishers.ofByteArray(notUtf32)),
                    400, "MalformedRequestBody", "Malformed request body: Cannot understand JSON.");
        }
    }

    @Test
    void a_report_of_more_than_100000_rows_is_refused_and_one_of_100000_is_stored() {
        String project = newProject();
        assertNeutronError(api.post(REPORTS, AGENT, manyRows(uuid(), project, 100_001)), 400, "HTTPBadRequest",
                "Invalid input for usage. Reason: more than 100000 rows.");

        Response stored = api.post(REPORTS, AGENT, manyRows(uuid(), project, 100_000));

        assertThat(stored.status()).as("%s", stored).isEqualTo(201);
        assertThat(stored.json().path("usage_report").path("rows").asInt()).isEqualTo(100_000);
        assertThat(items(api.get(USAGE + "?granularity=project&project_id=" + project + "&start=2026-11-23T20:00:00Z"
                + "&end=2026-11-23T21:00:00Z", Caller.ADMIN), "usage"))
                .extracting(row -> row.path("pkts").asLong()).containsExactly(100_000L);
    }

    /**
     * A report of {@code count} rows as a fleet's host sends them: 100 labels on each of its routers (and so 100
     * label totals, not one per row: every later scrape of /metrics in this server reads them).
     */
    private static String manyRows(String id, String project, int count) {
        StringBuilder body = new StringBuilder("{\"usage_report\":{\"id\":\"%s\",\"host\":\"big\",".formatted(id)
                + "\"window_start\":\"2026-11-23T20:00:00Z\",\"window_end\":\"2026-11-23T20:05:00Z\",\"usage\":[");
        long routers = UUID.randomUUID().getMostSignificantBits();
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append("{\"router_id\":\"").append(new UUID(routers, i / 100))
                    .append("\",\"label_id\":\"").append(new UUID(7, i % 100))
                    .append("\",\"project_id\":\"").append(project)
                    .append("\",\"pkts\":1,\"bytes\":100,\"time\":60,\"first_update\":").append(T0)
                    .append(",\"last_update\":").append(T0 + 60).append('}');
        }
        return body.append("]}}").toString();
    }

    @Test
    void only_agents_and_admins_may_send_reports() {
        String report = report(uuid(), "h1", row(uuid(), uuid(), "p1", 1, 1, 0, 0));

        assertNeutronError(api.post(REPORTS, Caller.member(newProject()), report), 403, "PolicyNotAuthorized",
                "rule:create_metering_usage_report is disallowed by policy");
        assertNeutronError(api.post(REPORTS, Caller.member(newProject()), "{]"), 403, "PolicyNotAuthorized",
                "rule:create_metering_usage_report is disallowed by policy");
        assertThat(api.post(REPORTS, Caller.ADMIN, report).status()).isEqualTo(201);
    }

    // --- queries ---

    /**
     * Two projects, two routers, three labels; two reports whose rows fall in the steps [T0, T0+300) and
     * [T0+300, T0+600), and one row after the range. Every expected sum below is worked out by hand.
     */
    private final class Fixture {
        final String a = newProject();
        final String b = newProject();
        final String r1 = uuid();
        final String r2 = uuid();
        final String la1 = uuid();
        final String la2 = uuid();
        final String lb = uuid();

        Fixture() {
            post(report(uuid(), "net-node-1",
                    row(r1, la1, a, 1, 100, 10, 60),
                    row(r2, la1, a, 2, 200, 20, 120),
                    row(r1, la2, a, 4, 400, 30, 299),
                    row(r1, lb, b, 8, 800, 40, 300)));
            post(report(uuid(), "net-node-2",
                    row(r1, la1, a, 16, 1600, 300, 360),
                    row(r2, lb, b, 32, 3200, 250, 599),
                    row(r2, la2, a, 64, 6400, 600, 600)));      // last_update = the end: outside
        }

        private void post(String report) {
            Response created = api.post(REPORTS, AGENT, report);
            assertThat(created.status()).as("%s", created).isEqualTo(201);
        }

        String range() {
            return "start=2026-11-23T20:00:00Z&end=2026-11-23T20:10:00Z&step=300&router_id=%s&router_id=%s"
                    .formatted(r1, r2);
        }
    }

    @Test
    void label_granularity_sums_each_label_per_step_and_is_the_default() {
        Fixture f = new Fixture();

        List<JsonNode> rows = usage(Caller.ADMIN, f.range());

        assertThat(rows).isEqualTo(sorted(List.of(
                step(0, "label_id", f.la1, "project_id", f.a).put("pkts", 3).put("bytes", 300)
                        .put("first_update", T0 + 10).put("last_update", T0 + 120),
                step(0, "label_id", f.la2, "project_id", f.a).put("pkts", 4).put("bytes", 400)
                        .put("first_update", T0 + 30).put("last_update", T0 + 299),
                step(1, "label_id", f.la1, "project_id", f.a).put("pkts", 16).put("bytes", 1600)
                        .put("first_update", T0 + 300).put("last_update", T0 + 360),
                step(1, "label_id", f.lb, "project_id", f.b).put("pkts", 40).put("bytes", 4000)
                        .put("first_update", T0 + 40).put("last_update", T0 + 599)), "label_id"));
        assertThat(usage(Caller.ADMIN, f.range() + "&granularity=label")).isEqualTo(rows);
    }

    @Test
    void router_granularity_sums_each_router_per_step() {
        Fixture f = new Fixture();

        assertThat(usage(Caller.ADMIN, f.range() + "&granularity=router")).isEqualTo(sorted(List.of(
                step(0, "router_id", f.r1).put("pkts", 5).put("bytes", 500)
                        .put("first_update", T0 + 10).put("last_update", T0 + 299),
                step(0, "router_id", f.r2).put("pkts", 2).put("bytes", 200)
                        .put("first_update", T0 + 20).put("last_update", T0 + 120),
                step(1, "router_id", f.r1).put("pkts", 24).put("bytes", 2400)
                        .put("first_update", T0 + 40).put("last_update", T0 + 360),
                step(1, "router_id", f.r2).put("pkts", 32).put("bytes", 3200)
                        .put("first_update", T0 + 250).put("last_update", T0 + 599)), "router_id"));
    }

    @Test
    void project_granularity_sums_each_project_over_the_whole_range_without_a_step() {
        Fixture f = new Fixture();
        String query = "start=2026-11-23T20:00:00Z&end=2026-11-23T20:10:00Z&granularity=project&project_id=%s"
                + "&project_id=%s";

        List<JsonNode> rows = usage(Caller.ADMIN, query.formatted(f.a, f.b));

        ObjectNode a = whole("project_id", f.a).put("pkts", 23).put("bytes", 2300).put("first_update", T0 + 10)
                .put("last_update", T0 + 360);
        ObjectNode b = whole("project_id", f.b).put("pkts", 40).put("bytes", 4000).put("first_update", T0 + 40)
                .put("last_update", T0 + 599);
        assertThat(rows).isEqualTo(sorted(List.of(a, b), "project_id"));
    }

    @Test
    void router_label_granularity_keeps_each_pair_and_filters_combine() {
        Fixture f = new Fixture();

        List<JsonNode> rows = usage(Caller.ADMIN, f.range() + "&granularity=router_label&label_id=" + f.la1);

        assertThat(rows).isEqualTo(sorted(List.of(
                step(0, "router_id", f.r1, "label_id", f.la1, "project_id", f.a).put("pkts", 1).put("bytes", 100)
                        .put("first_update", T0 + 10).put("last_update", T0 + 60),
                step(0, "router_id", f.r2, "label_id", f.la1, "project_id", f.a).put("pkts", 2).put("bytes", 200)
                        .put("first_update", T0 + 20).put("last_update", T0 + 120),
                step(1, "router_id", f.r1, "label_id", f.la1, "project_id", f.a).put("pkts", 16).put("bytes", 1600)
                        .put("first_update", T0 + 300).put("last_update", T0 + 360)), "router_id"));
    }

    @Test
    void project_label_granularity_writes_the_project_first() {
        Fixture f = new Fixture();

        List<JsonNode> rows = usage(Caller.ADMIN, f.range() + "&granularity=project_label&project_id=" + f.b);

        assertThat(rows).isEqualTo(sorted(List.of(step(1, "project_id", f.b, "label_id", f.lb).put("pkts", 40)
                .put("bytes", 4000).put("first_update", T0 + 40).put("last_update", T0 + 599)), "project_id"));
        assertThat(rows.getFirst().fieldNames()).toIterable()
                .containsExactly("project_id", "label_id", "start", "end", "pkts", "bytes", "first_update",
                        "last_update");
    }

    @Test
    void a_member_reads_its_own_projects_usage_and_foreign_filters_match_nothing() {
        Fixture f = new Fixture();

        assertThat(usage(Caller.member(f.b), f.range() + "&granularity=project")).extracting(
                row -> row.path("project_id").asText()).containsOnly(f.b);
        assertThat(usage(Caller.member(f.b), f.range() + "&label_id=" + f.la1)).isEmpty();
        assertThat(usage(Caller.member(newProject()), f.range())).isEmpty();
        assertThat(usage(AGENT, f.range())).as("an agent reads only its own project's").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "granularity=hourly                  | Invalid input for granularity. Reason: 'hourly' is not one of "
                    + "label, router, project, router_label, project_label.",
            "granularity=label&granularity=router | Query parameter 'granularity' given more than once",
            "label_id=abc                        | Invalid input for label_id. Reason: 'abc' is not a valid UUID.",
            "router_id=                          | Invalid input for router_id. Reason: '' is not a valid UUID.",
            "step=0                              | Invalid input for step. Reason: '0' is not a positive number of "
                    + "seconds.",
            "step=-5                             | Invalid input for step. Reason: '-5' is not a positive number of "
                    + "seconds.",
            "step=1.5                            | Invalid input for step. Reason: '1.5' is not a positive number of "
                    + "seconds.",
            "start=2026-11-23T20:00:00Z&end=2026-11-23T20:00:00Z | Invalid input for start. Reason: "
                    + "'2026-11-23T20:00:00Z' is not before end '2026-11-23T20:00:00Z'.",
            "start=2026-11-24                    | Invalid input for start. Reason: '2026-11-24' is not an ISO-8601 "
                    + "instant such as 2026-11-23T20:00:00Z.",
            "start=2026-11-23T00:00:00Z&end=2026-11-24T00:00:00Z&step=8 | Invalid input for step. Reason: 10800 steps "
                    + "of 8 seconds from 2026-11-23T00:00:00Z to 2026-11-24T00:00:00Z, more than 10000.",
            "limit=10                            | Unrecognized query parameter 'limit'",
            "split=router                        | Invalid input for split. Reason: 'router' is not one of direction.",
    })
    void bad_query_parameters_are_a_400_naming_the_parameter(String query, String message) {
        assertNeutronError(api.get(USAGE + "?" + query, Caller.ADMIN), 400, "HTTPBadRequest", message);
    }

    @Test
    void without_a_range_the_last_day_is_one_step() {
        long now = Instant.now().getEpochSecond();
        String label = uuid();
        Response created = api.post(REPORTS, AGENT, report(uuid(), "h1",
                rowAt(uuid(), label, "p1", 3, 30, now - 3600, now - 60),
                rowAt(uuid(), label, "p1", 1, 1, now - 90_000, now - 90_000)));     // more than a day ago
        assertThat(created.status()).isEqualTo(201);

        List<JsonNode> rows = usage(Caller.ADMIN, "label_id=" + label);

        assertThat(rows).hasSize(1);
        Instant start = Instant.parse(rows.getFirst().path("start").asText());
        Instant end = Instant.parse(rows.getFirst().path("end").asText());
        assertThat(Duration.between(start, end)).hasHours(24);
        assertThat(end).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(rows.getFirst().path("pkts").asLong()).isEqualTo(3);
    }

    // --- directions (issue 17) ---

    @Test
    void a_label_counted_per_direction_is_stored_per_direction_summed_by_default_and_split_on_request() {
        String router = uuid();
        String label = uuid();
        String project = newProject();
        String host = "directions-" + uuid().substring(0, 8);
        // One report with both directions and a direction-less row of the same label (an agent that upgrades
        // reports its old counter's last count that way), then one with a direction only.
        assertThat(api.post(REPORTS, AGENT, report(uuid(), host,
                directed(row(router, label, project, 1, 100, 10, 60), "ingress"),
                directed(row(router, label, project, 2, 200, 20, 120), "egress"),
                row(router, label, project, 4, 400, 5, 30))).status()).isEqualTo(201);
        assertThat(api.post(REPORTS, AGENT, report(uuid(), host,
                directed(row(router, label, project, 8, 800, 300, 360), "ingress"))).status()).isEqualTo(201);
        String range = "label_id=%s&start=2026-11-23T20:00:00Z&end=2026-11-23T20:10:00Z".formatted(label);

        assertThat(usage(Caller.ADMIN, range)).isEqualTo(List.of(tree(json(whole("label_id", label)
                .put("project_id", project).put("pkts", 15).put("bytes", 1500)
                .put("first_update", T0 + 5).put("last_update", T0 + 360)))));
        List<JsonNode> split = usage(Caller.ADMIN, range + "&split=direction&granularity=router_label");
        assertThat(split).extracting(row -> row.path("direction").isNull() ? "none" : row.path("direction").asText())
                .containsExactly("none", "egress", "ingress");
        assertThat(split).extracting(row -> row.path("bytes").asLong()).containsExactly(400L, 200L, 900L);
        assertThat(split.getLast().path("router_id").asText()).isEqualTo(router);
        assertThat(split.getLast().path("first_update").asLong()).isEqualTo(T0 + 10);

        PrometheusText scrape = scrape(Caller.ADMIN);
        String series = "label_id=\"%s\",project_id=\"%s\"".formatted(label, project);
        assertThat(scrape.value("netmeter_label_bytes_total", series)).isEqualTo(400);
        assertThat(scrape.value("netmeter_label_bytes_total", series + ",direction=\"ingress\"")).isEqualTo(900);
        assertThat(scrape.value("netmeter_label_bytes_total", series + ",direction=\"egress\"")).isEqualTo(200);
        assertThat(scrape.value("netmeter_project_bytes_total", "project_id=\"%s\"".formatted(project)))
                .isEqualTo(1500);
    }

    private static Map<String, Object> directed(Map<String, Object> row, String direction) {
        row.put("direction", direction);
        return row;
    }

    // --- metrics ---

    @Test
    void metrics_show_the_stored_totals_per_label_and_project_and_a_replay_changes_nothing() {
        String router = uuid();
        String otherRouter = uuid();
        String label = uuid();
        String otherLabel = uuid();
        String project = "p \"quoted\" \\ " + newProject();        // label values are escaped
        String host = "metrics-" + uuid().substring(0, 8);
        PrometheusText before = scrape(api, Caller.ADMIN);
        String first = report(uuid(), host, row(router, label, project, 10, 1000, 0, 60),
                row(router, otherLabel, project, 1, 100, 0, 60), row(otherRouter, label, project, 2, 200, 0, 60));
        assertThat(api.post(REPORTS, AGENT, first).status()).isEqualTo(201);
        assertThat(api.post(REPORTS, AGENT, report(uuid(), host, row(router, label, project, 5, 500, 60, 120)))
                .status()).isEqualTo(201);

        PrometheusText stored = scrape(api, Caller.ADMIN);
        assertThat(api.post(REPORTS, AGENT, first).status()).isEqualTo(200);
        PrometheusText replayed = scrape(api, Caller.ADMIN);

        String series = "label_id=\"%s\",project_id=\"%s\"";
        String ofProject = "project_id=\"%s\"".formatted(project);
        for (PrometheusText scrape : List.of(stored, replayed)) {
            assertThat(scrape.value("netmeter_label_packets_total", series.formatted(label, project))).isEqualTo(17);
            assertThat(scrape.value("netmeter_label_bytes_total", series.formatted(label, project))).isEqualTo(1700);
            assertThat(scrape.value("netmeter_label_bytes_total", series.formatted(otherLabel, project)))
                    .isEqualTo(100);
            assertThat(scrape.value("netmeter_project_packets_total", ofProject)).isEqualTo(18);
            assertThat(scrape.value("netmeter_project_bytes_total", ofProject)).isEqualTo(1800);
            assertThat(scrape.samples().keySet()).as("no series per router by default")
                    .noneMatch(name -> name.contains("router_id="));
            assertThat(scrape.types()).containsEntry("netmeter_label_packets_total", "counter")
                    .containsEntry("netmeter_label_bytes_total", "counter")
                    .containsEntry("netmeter_project_packets_total", "counter")
                    .containsEntry("netmeter_project_bytes_total", "counter")
                    .containsEntry("netmeter_agent_last_report_timestamp_seconds", "gauge");
        }
        assertThat(counter(stored, "netmeter_usage_reports_total") - counter(before, "netmeter_usage_reports_total"))
                .isEqualTo(2);
        assertThat(counter(replayed, "netmeter_usage_reports_total")).isEqualTo(counter(stored,
                "netmeter_usage_reports_total"));
        assertThat(counter(replayed, "netmeter_usage_report_replays_total")
                - counter(stored, "netmeter_usage_report_replays_total")).isEqualTo(1);
        double lastReport = replayed.value("netmeter_agent_last_report_timestamp_seconds",
                "host=\"%s\"".formatted(host));
        assertThat(lastReport).isBetween(Instant.now().getEpochSecond() - 60.0, Instant.now().getEpochSecond() + 1.0);
    }

    @Test
    void with_router_detail_metrics_show_each_label_per_router_from_the_same_database() {
        String router = uuid();
        String otherRouter = uuid();
        String label = uuid();
        String project = newProject();
        assertThat(api.post(REPORTS, AGENT, report(uuid(), "detail-" + uuid().substring(0, 8),
                row(router, label, project, 10, 1000, 0, 60), row(otherRouter, label, project, 2, 200, 0, 60)))
                .status()).isEqualTo(201);

        try (RunningServer.Another detailed = server().another(settings -> new ApiSettings(settings.maxBodyBytes(),
                settings.maxHeaderBytes(), settings.paginationMaxLimit(), settings.publicUrl(), true))) {
            PrometheusText scrape = scrape(detailed.client(), Caller.ADMIN);

            String series = "label_id=\"%s\",project_id=\"%s\",router_id=\"%s\"";
            assertThat(scrape.value("netmeter_label_packets_total", series.formatted(label, project, router)))
                    .isEqualTo(10);
            assertThat(scrape.value("netmeter_label_bytes_total", series.formatted(label, project, otherRouter)))
                    .isEqualTo(200);
            assertThat(scrape.samples().keySet()).as("per router instead of per label, never both")
                    .noneMatch(name -> name.startsWith("netmeter_label_") && !name.contains("router_id="));
            assertThat(scrape.value("netmeter_project_bytes_total", "project_id=\"%s\"".formatted(project)))
                    .isEqualTo(1200);
        }
    }

    @Test
    void metrics_hold_the_jvm_and_process_meters_and_the_waiting_agents() {
        PrometheusText scrape = scrape(Caller.ADMIN);

        assertThat(scrape.samples().keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(name -> name.startsWith("jvm_threads_live_threads{"))
                .anyMatch(name -> name.startsWith("jvm_gc_"))
                .anyMatch(name -> name.startsWith("process_cpu_usage{"))
                .anyMatch(name -> name.startsWith("process_uptime_seconds{"));
        assertThat(scrape.value("netmeter_sync_waiting_agents", "")).isZero();
        assertThat(scrape.types()).containsEntry("netmeter_sync_waiting_agents", "gauge");
    }

    @Test
    void the_waiting_agents_gauge_counts_a_long_poll_while_it_waits() throws Exception {
        String sync = "/v2.0/metering/sync?host=waiter-" + uuid().substring(0, 8);
        long revision = api.get(sync, Caller.ADMIN).json().path("sync").path("revision").asLong();
        // The poll waits 10 s: long enough for a scrape on a loaded machine to see it waiting.
        CompletableFuture<Response> poll = CompletableFuture.supplyAsync(
                () -> api.get(sync + "&since=" + revision + "&timeout=10", Caller.ADMIN));
        double waiting = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> scrape(Caller.ADMIN).value("netmeter_sync_waiting_agents", ""),
                        gauge -> gauge != 0 || poll.isDone());

        assertThat(waiting).as("while the poll waits").isEqualTo(1);
        assertThat(poll.get(10, TimeUnit.SECONDS).status()).isEqualTo(304);
        assertThat(scrape(Caller.ADMIN).value("netmeter_sync_waiting_agents", "")).as("once answered").isZero();
    }

    @Test
    void metrics_are_for_admins_and_metrics_readers_only() {
        Caller reader = new Caller("prometheus", newProject(), "prometheus", "metrics_reader");

        assertThat(api.get("/metrics", reader).status()).isEqualTo(200);
        assertNeutronError(api.get("/metrics", Caller.member(newProject())), 403, "PolicyNotAuthorized",
                "rule:get_metering_metrics is disallowed by policy");
        assertNeutronError(api.get("/metrics", AGENT), 403, "PolicyNotAuthorized",
                "rule:get_metering_metrics is disallowed by policy");
    }

    // --- for clients such as the dashboard: who calls, and the agents' last reports ---

    @Test
    void the_caller_learns_its_project_and_what_the_api_shows_it() {
        String project = newProject();

        JsonNode member = api.get("/v2.0/metering/caller", Caller.member(project)).json();
        assertThat(member).isEqualTo(NeutronTranscriptContract.json(
                ("{\"caller\": {\"project_id\": \"%s\", \"user_id\": \"user-%s\", "
                        + "\"roles\": [\"member\", \"reader\"], \"usage_scope\": \"own_project\", \"agents\": false}}")
                        .formatted(project, project)));
        JsonNode admin = api.get("/v2.0/metering/caller", Caller.ADMIN).json().path("caller");
        assertThat(admin.path("usage_scope").asText()).isEqualTo("all");
        assertThat(admin.path("agents").asBoolean()).isTrue();
        assertNeutronError(api.get("/v2.0/metering/caller?project_id=x", Caller.ADMIN), 400, "HTTPBadRequest",
                "Unrecognized query parameter 'project_id'");
    }

    @Test
    void admins_read_each_agents_last_report_and_others_may_not() {
        String host = "agent-" + newProject().substring(0, 12);
        Instant before = Instant.now().minusSeconds(1);
        assertThat(api.post(REPORTS, AGENT, report(uuid(), host)).status()).isEqualTo(201);

        Response agents = api.get("/v2.0/metering/agents", Caller.ADMIN);
        assertThat(agents.status()).isEqualTo(200);
        assertThat(agents.json().path("report_interval_seconds").asLong()).isEqualTo(300);
        assertThat(agents.json().path("stale_after_seconds").asLong()).isEqualTo(900);
        JsonNode agent = null;
        for (JsonNode one : agents.json().path("agents")) {
            if (one.path("host").asText().equals(host)) {
                agent = one;
            }
        }
        assertThat(agent).as("%s in %s", host, agents).isNotNull();
        assertThat(Instant.parse(agent.path("last_report_at").asText())).isBetween(before, Instant.now());
        assertThat(agent.path("stale").asBoolean()).isFalse();
        assertNeutronError(api.get("/v2.0/metering/agents", Caller.member(newProject())), 403, "PolicyNotAuthorized",
                "rule:get_metering_agents is disallowed by policy");
        assertNeutronError(api.get("/v2.0/metering/agents", AGENT), 403, "PolicyNotAuthorized",
                "rule:get_metering_agents is disallowed by policy");
    }

    private PrometheusText scrape(Caller caller) {
        return scrape(api, caller);
    }

    private static PrometheusText scrape(ApiClient client, Caller caller) {
        Response scrape = client.get("/metrics", caller);
        assertThat(scrape.status()).as("%s", scrape).isEqualTo(200);
        assertThat(scrape.contentType()).contains("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(scrape.body());
    }

    private static double counter(PrometheusText scrape, String name) {
        return scrape.value(name, "");
    }

    // --- helpers ---

    private List<JsonNode> usage(Caller caller, String query) {
        return items(api.get(USAGE + "?" + query, caller), "usage");
    }

    private List<JsonNode> usageOfLabel(String label) {
        return usage(Caller.ADMIN, "label_id=%s&start=2026-11-23T20:00:00Z&end=2026-11-23T21:00:00Z".formatted(label));
    }

    /** A row of step {@code index} (300 s from T0, as {@link Fixture#range}) with these keys, in order. */
    private static ObjectNode step(int index, String... keys) {
        ObjectNode row = ApiClient.JSON.createObjectNode();
        for (int i = 0; i < keys.length; i += 2) {
            row.put(keys[i], keys[i + 1]);
        }
        return row.put("start", Instant.ofEpochSecond(T0 + 300L * index).toString())
                .put("end", Instant.ofEpochSecond(T0 + 300L * (index + 1)).toString());
    }

    /** A row of the whole range [T0, T0 + 600 s), without a step. */
    private static ObjectNode whole(String key, String value) {
        return ApiClient.JSON.createObjectNode().put(key, value).put("start", "2026-11-23T20:00:00Z")
                .put("end", "2026-11-23T20:10:00Z");
    }

    /**
     * Rows ordered as the API orders them: by start, then by {@code key} (the first key of the granularity),
     * and read back from JSON text, so that numbers compare as the answer's do.
     */
    private static List<JsonNode> sorted(List<ObjectNode> rows, String key) {
        List<JsonNode> sorted = new ArrayList<>(rows);
        sorted.sort((x, y) -> {
            int byStart = x.path("start").asText().compareTo(y.path("start").asText());
            return byStart != 0 ? byStart : x.path(key).asText().compareTo(y.path(key).asText());
        });
        return sorted.stream().map(row -> tree(json(row))).toList();
    }

    static JsonNode tree(String json) {
        try {
            return ApiClient.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** A row whose first and last update are these offsets in seconds from {@link #T0}. */
    static Map<String, Object> row(String router, String label, String project, long packets, long bytes,
                                   int firstOffset, int lastOffset) {
        return rowAt(router, label, project, packets, bytes, T0 + firstOffset, T0 + lastOffset);
    }

    static Map<String, Object> rowAt(String router, String label, String project, long packets, long bytes,
                                     long first, long last) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("router_id", router);
        row.put("label_id", label);
        row.put("project_id", project);
        row.put("pkts", packets);
        row.put("bytes", bytes);
        row.put("time", last - first);
        row.put("first_update", first);
        row.put("last_update", last);
        return row;
    }

    /** A report of the window [T0, T0 + 300 s), as the agent sends it; {@code rows} are {@link #row}s. */
    static String report(String id, String host, Object... rows) {
        return report(id, host, Instant.parse("2026-11-23T20:00:00Z"), Instant.parse("2026-11-23T20:05:00.123Z"), rows);
    }

    static String report(String id, String host, Instant windowStart, Instant windowEnd, Object... rows) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("id", id);
        report.put("host", host);
        report.put("window_start", windowStart.toString());
        report.put("window_end", windowEnd.toString());
        report.put("usage", List.of(rows));
        return json(Map.of("usage_report", report));
    }
}
