package dev.netmeter.server;

import dev.netmeter.api.identity.MutableClock;
import static dev.netmeter.server.StatementApiContract.STATEMENTS;
import static dev.netmeter.server.UsageApiContract.AGENT;
import static dev.netmeter.server.UsageApiContract.REPORTS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Closed statements over HTTP, on every database, from reports the agent sends, with figures by hand: open
 * before the grace time passed and closed after it, a content hash a client recomputes from the answer, the
 * stored statement unchanged by late usage, which shows on the next period (JSON and CSV) naming its own, a
 * report across the closing boundary split in two, two servers closing at once answering one statement, and a
 * tenant reading its own project's closed statements only. The grace time is the default, one hour.
 */
abstract class ClosedStatementApiContract extends HttpContract {
    private static final String NOVEMBER = "?period=2026-11&project_id=";
    private static final String DECEMBER = "?period=2026-12&project_id=";
    private static final Instant DECEMBER_START = Instant.parse("2026-12-01T00:00:00Z");
    /** The servers' clock, set by each test. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));

    @Override
    RunningServer startServer() {
        return RunningServer.start(backend(), clock);
    }

    @Test
    void a_period_is_open_until_its_grace_passed_then_closed_with_a_hash_the_client_can_recompute() {
        clock.set(Instant.parse("2026-11-20T10:00:00Z"));
        String project = newProject();
        String web = createLabel(project, "web");
        send(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", web, 100, 37_500);

        clock.set(DECEMBER_START.plus(Duration.ofMinutes(59)));
        JsonNode open = api.get(STATEMENTS + NOVEMBER + project, Caller.member(project)).json().path("statement");
        clock.set(DECEMBER_START.plus(Duration.ofHours(1)));
        Response closed = api.get(STATEMENTS + NOVEMBER + project, Caller.member(project));
        clock.set(DECEMBER_START.plus(Duration.ofDays(2)));
        Response again = api.get(STATEMENTS + NOVEMBER + project, Caller.ADMIN);

        assertThat(open.path("closed").asBoolean()).isFalse();
        assertThat(open.path("closed_at").isNull()).isTrue();
        assertThat(open.path("content_sha256").isNull()).isTrue();
        assertThat(closed.status()).as("%s", closed).isEqualTo(200);
        JsonNode statement = closed.json().path("statement");
        assertThat(statement.path("closed").asBoolean()).isTrue();
        assertThat(statement.path("closed_at").asText()).isEqualTo("2026-12-01T01:00:00Z");
        // 37,500 bytes in one five-minute sample: 1,000 bit/s; the 95th percentile of 8,640 is a zero one
        assertThat(statement.path("lines")).isEqualTo(UsageApiContract.tree("""
                [{"label_id": "%s", "label_name": "web", "direction": null, "bytes": 37500, "pkts": 100,
                  "p95_bps": 0, "peak_bps": 1000, "samples": 8640}]""".formatted(web)));
        assertThat(statement.path("adjustments").isEmpty()).isTrue();
        assertThat(statement.path("content_sha256").asText()).isEqualTo(recomputedSha256(closed.body()));
        assertThat(again.body()).as("the same bytes days later").isEqualTo(closed.body());
        Map<String, String> headers = Caller.ADMIN.headers();
        headers.put("Accept", "text/csv");
        assertThat(api.send("GET", STATEMENTS + NOVEMBER + project, headers, BodyPublishers.noBody()).body())
                .endsWith("\r\n" + project + ",2026-11,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,true," + web
                        + ",web,,37500,100,0,1000,8640,line,,2026-12-01T01:00:00Z,"
                        + statement.path("content_sha256").asText() + "\r\n");
    }

    @Test
    void late_usage_shows_on_the_next_period_naming_its_own_and_the_closed_statement_stays_as_it_was() {
        clock.set(Instant.parse("2026-11-20T10:00:00Z"));
        String project = newProject();
        String web = createLabel(project, "web");
        send(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", web, 100, 37_500);
        clock.set(DECEMBER_START.plus(Duration.ofHours(2)));
        Response closed = api.get(STATEMENTS + NOVEMBER + project, Caller.ADMIN);

        send(project, "2026-11-30T23:50:00Z", "2026-11-30T23:55:00Z", web, 10, 3_000);
        // across the boundary: 150 s either side, 500 bytes each; 11 packets, 6 before (the unit left over goes to
        // the earlier sample) and 5 after
        send(project, "2026-11-30T23:57:30Z", "2026-12-01T00:02:30Z", web, 11, 1_000);

        assertThat(api.get(STATEMENTS + NOVEMBER + project, Caller.ADMIN).body()).isEqualTo(closed.body());
        JsonNode december = api.get(STATEMENTS + DECEMBER + project, Caller.member(project)).json()
                .path("statement");
        assertThat(december.path("closed").asBoolean()).isFalse();
        assertThat(december.path("adjustments")).isEqualTo(UsageApiContract.tree("""
                [{"label_id": "%s", "label_name": "web", "direction": null, "period": "2026-11", "bytes": 3500,
                  "pkts": 16}]""".formatted(web)));
        // 500 bytes in one sample of December's 8,928: 13.3 bit/s, 13
        assertThat(december.path("lines")).isEqualTo(UsageApiContract.tree("""
                [{"label_id": "%s", "label_name": "web", "direction": null, "bytes": 500, "pkts": 5,
                  "p95_bps": 0, "peak_bps": 13, "samples": 8928}]""".formatted(web)));

        Map<String, String> headers = Caller.ADMIN.headers();
        headers.put("Accept", "text/csv");
        Response csv = api.send("GET", STATEMENTS + DECEMBER + project, headers, BodyPublishers.noBody());
        String prefix = project + ",2026-12,2026-12-01T00:00:00Z,2027-01-01T00:00:00Z,false," + web + ",web,,";
        assertThat(csv.body()).isEqualTo("project_id,period,start,end,closed,label_id,label_name,direction,bytes,"
                + "pkts,p95_bps,peak_bps,samples,kind,original_period,closed_at,content_sha256\r\n"
                + prefix + "500,5,0,13,8928,line,,,\r\n"
                + prefix + "3500,16,,,,adjustment,2026-11,,\r\n");

        // December closed keeps its adjustment, inside its hash
        clock.set(Instant.parse("2027-01-01T01:00:00Z"));
        Response closedDecember = api.get(STATEMENTS + DECEMBER + project, Caller.ADMIN);
        JsonNode stored = closedDecember.json().path("statement");
        assertThat(stored.path("closed").asBoolean()).isTrue();
        assertThat(stored.path("adjustments")).isEqualTo(december.path("adjustments"));
        assertThat(stored.path("content_sha256").asText()).isEqualTo(recomputedSha256(closedDecember.body()));
    }

    @Test
    void two_servers_closing_one_period_at_once_answer_one_statement() throws Exception {
        clock.set(Instant.parse("2026-11-20T10:00:00Z"));
        String project = newProject();
        String web = createLabel(project, "web");
        send(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", web, 1, 300);
        clock.set(DECEMBER_START.plus(Duration.ofHours(3)));
        List<CompletableFuture<String>> answers = new ArrayList<>();
        try (RunningServer.Another other = server().another(settings -> settings)) {
            List<ApiClient> clients = List.of(api, other.client());
            CountDownLatch start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 8; i++) {
                    ApiClient client = clients.get(i % 2);
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return client.get(STATEMENTS + NOVEMBER + project, Caller.ADMIN).body();
                    }, pool));
                }
                start.countDown();
            }
        }

        List<String> bodies = answers.stream().map(CompletableFuture::join).toList();
        assertThat(bodies).containsOnly(bodies.getFirst());
        assertThat(UsageApiContract.tree(bodies.getFirst()).path("statement").path("closed").asBoolean()).isTrue();
    }

    @Test
    void a_tenant_reads_its_own_projects_closed_statements_and_an_admin_any() {
        clock.set(DECEMBER_START.plus(Duration.ofHours(2)));
        String project = newProject();
        String other = newProject();

        Response own = api.get(STATEMENTS + NOVEMBER + project, Caller.member(project));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("statement").path("closed").asBoolean()).isTrue();
        assertNeutronError(api.get(STATEMENTS + NOVEMBER + other, Caller.member(project)), 404, "StatementNotFound",
                "Statement of project %s could not be found".formatted(other));
        assertThat(api.get(STATEMENTS + NOVEMBER + project, Caller.ADMIN).body()).isEqualTo(own.body());
    }

    /**
     * The hash as a client recomputes it (docs/api.md): the statement object without closed, closed_at and
     * content_sha256, its members sorted by name, written without white space, in UTF-8, SHA-256 in hex.
     */
    private static String recomputedSha256(String body) {
        try {
            Map<String, Object> answer = ApiClient.JSON.readValue(body, new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> statement = (Map<String, Object>) answer.get("statement");
            statement.remove("closed");
            statement.remove("closed_at");
            statement.remove("content_sha256");
            ObjectMapper sorted = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            byte[] canonical = sorted.writeValueAsString(statement).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends, as the agent, a one-row report of {@code [start, end)} on a router of its own. */
    private void send(String project, String start, String end, String label, long packets, long bytes) {
        long at = Instant.parse(start).getEpochSecond();
        Response sent = api.post(REPORTS, AGENT, UsageApiContract.report(UsageApiContract.uuid(), "closing-host",
                Instant.parse(start), Instant.parse(end), UsageApiContract.rowAt(UsageApiContract.uuid(), label,
                        project, packets, bytes, at, at)));
        assertThat(sent.status()).as("%s", sent).isEqualTo(201);
    }
}
