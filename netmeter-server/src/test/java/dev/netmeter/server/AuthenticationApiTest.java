package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netmeter.api.identity.FakeKeystone;
import dev.netmeter.api.identity.StaticTokenValidator;
import dev.netmeter.api.identity.TokenFile;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How authentication behaves under load, outages and abuse, over real HTTP on H2. */
class AuthenticationApiTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(RunningServer server, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.client().baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void concurrent_requests_with_one_new_token_cost_keystone_one_validation() throws Exception {
        try (FakeKeystone keystone = FakeKeystone.start();
             RunningServer server = RunningServer.start(Backend.H2,
                     KeystoneAuthorizationMatrixTest.keystoneAuth(dir, keystone, 10))) {
            String token = keystone.issue(KeystoneAuthorizationMatrixTest.user("p1", "member"));
            keystone.delay(Duration.ofMillis(300));   // all requests arrive while the first validation is pending
            List<CompletableFuture<Integer>> statuses = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100; i++) {
                    statuses.add(CompletableFuture.supplyAsync(() -> {
                        try (ApiClient client = new ApiClient(server.client())) {
                            return client.send("GET", LABELS, Map.of("X-Auth-Token", token),
                                    HttpRequest.BodyPublishers.noBody()).status();
                        }
                    }, pool));
                }
            }
            assertThat(statuses).allSatisfy(status -> assertThat(status.join()).isEqualTo(200));
            assertThat(keystone.validations()).isEqualTo(1);
        }
    }

    @Test
    void an_unreachable_keystone_is_503_for_new_tokens_while_cached_ones_still_work() throws Exception {
        FakeKeystone keystone = FakeKeystone.start();
        try (RunningServer server = RunningServer.start(Backend.H2,
                KeystoneAuthorizationMatrixTest.keystoneAuth(dir, keystone, 10))) {
            String known = keystone.issue(KeystoneAuthorizationMatrixTest.user("p1", "member"));
            String unknown = keystone.issue(KeystoneAuthorizationMatrixTest.user("p1", "member"));
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", known)).statusCode()).isEqualTo(200);
            keystone.close();

            HttpResponse<String> refused = get(server, LABELS, Map.of("X-Auth-Token", unknown));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"type\":\"ServiceUnavailable\"").contains("identity service");
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", known)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_client_that_keeps_failing_is_answered_429_with_retry_after() throws Exception {
        Path tokens = dir.resolve("tokens.json");
        String valid = TokenAuthorizationMatrixTest.issue(tokens, "p1", Optional.empty(), "member");
        try (RunningServer server = RunningServer.start(Backend.H2,
                TokenAuthorizationMatrixTest.tokenAuth(tokens, 3))) {
            long firstFailure = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(get(server, LABELS, Map.of("X-Auth-Token", "nmt_0000000000000000_guess" + i)).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> throttled = get(server, LABELS, Map.of("X-Auth-Token", "nmt_0000000000000000_x"));
            assertThat(throttled.statusCode()).isEqualTo(429);
            // one failure refills every 20 s, counted from the first failure; some of that has passed
            long passed = (System.nanoTime() - firstFailure + 999_999_999) / 1_000_000_000;
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                    assertThat(Integer.parseInt(seconds)).isBetween((int) (20 - passed), 20));
            assertThat(throttled.body()).contains("\"type\":\"HTTPTooManyRequests\"");
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", valid)).statusCode())
                    .as("refused before the token is looked at").isEqualTo(429);
            assertThat(get(server, "/", Map.of()).statusCode()).as("version discovery stays open").isEqualTo(200);
        }
    }

    @Test
    void a_token_revoked_in_the_file_is_refused_within_a_second_and_a_new_one_works_at_once() throws Exception {
        Path tokens = dir.resolve("tokens.json");
        String kept = TokenAuthorizationMatrixTest.issue(tokens, "p1", Optional.empty(), "member");
        String revoked = TokenAuthorizationMatrixTest.issue(tokens, "p1", Optional.empty(), "member");
        try (RunningServer server = RunningServer.start(Backend.H2,
                TokenAuthorizationMatrixTest.tokenAuth(tokens, 10))) {
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", revoked)).statusCode()).isEqualTo(200);

            String id = revoked.substring(4, 20);
            TokenFile.update(tokens, all -> all.stream().filter(token -> !token.id().equals(id)).toList());

            // The interval itself is pinned with a test clock in StaticTokenValidatorTest; over real HTTP
            // a busy machine may add a request's latency to it.
            await("refused within the recheck interval").atMost(StaticTokenValidator.RECHECK_INTERVAL.plusSeconds(2))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> get(server, LABELS, Map.of("X-Auth-Token", revoked)).statusCode() == 401);
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", kept)).statusCode()).isEqualTo(200);
            String added = TokenAuthorizationMatrixTest.issue(tokens, "p2", Optional.empty(), "member");
            assertThat(get(server, LABELS, Map.of("X-Auth-Token", added)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void every_answer_carries_the_security_headers_and_oversized_input_is_refused_in_neutrons_format()
            throws Exception {
        Path tokens = dir.resolve("tokens.json");
        String admin = TokenAuthorizationMatrixTest.issue(tokens, "p1", Optional.empty(), "admin");
        try (RunningServer server = RunningServer.start(Backend.H2,
                TokenAuthorizationMatrixTest.tokenAuth(tokens, 1000))) {
            List<HttpResponse<String>> answers = List.of(
                    get(server, "/", Map.of()),
                    get(server, LABELS, Map.of("X-Auth-Token", admin)),
                    get(server, LABELS + "/nope", Map.of("X-Auth-Token", admin)),
                    get(server, "/v2.0/nothing", Map.of("X-Auth-Token", admin)),
                    get(server, LABELS, Map.of()),
                    get(server, LABELS, Map.of("X-Auth-Token", "nmt_" + "a".repeat(9000))));
            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 404, 404, 401, 401);
            for (HttpResponse<String> answer : answers) {
                ApiClient.SECURITY_HEADERS.forEach((name, value) ->
                        assertThat(answer.headers().firstValue(name)).as("%s of %s", name, answer).contains(value));
            }

            String tooLarge = raw(server, "GET " + LABELS + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + admin
                    + "\r\nX-Padding: " + "p".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
            assertThat(tooLarge).startsWith("HTTP/1.1 431").contains("\"type\":\"HTTPRequestHeaderFieldsTooLarge\"");
            String malformed = raw(server, "GET /v2.0 HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n");
            assertThat(malformed).startsWith("HTTP/1.1 400").contains("\"NeutronError\"");
            for (String answer : List.of(tooLarge, malformed)) {
                ApiClient.SECURITY_HEADERS.forEach((name, value) ->
                        assertThat(answer.toLowerCase()).as(name).contains(name + ": " + value.toLowerCase()));
            }
        }
    }

    /** Sends {@code request} as it is on a socket of its own; returns all the server wrote. */
    private static String raw(RunningServer server, String request) throws IOException {
        int port = URI.create(server.client().baseUrl()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
