package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client of a test server over real HTTP, calling as one of the {@link Caller}s of Neutron's noauth
 * strategy. Every response is checked for what every answer must have: no 5xx except 501 (our answer to
 * updating a rule, as Neutron's), and an {@code X-Openstack-Request-Id: req-<uuid>} header. Thread-safe;
 * a race gives each of its threads a client of its own, so that each has its own connections.
 */
final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LABELS = "/v2.0/metering/metering-labels";
    static final String RULES = "/v2.0/metering/metering-label-rules";
    /** The headers every answer carries, names lower-cased, whichever layer gives it. */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "x-content-type-options", "nosniff",
            "x-frame-options", "DENY",
            "content-security-policy", "default-src 'none'; frame-ancestors 'none'",
            "referrer-policy", "no-referrer",
            "cache-control", "no-store");
    private static final Pattern REQUEST_ID =
            Pattern.compile("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final HttpClient client;
    private final int port;
    private final String base;

    ApiClient(int port) {
        this.client = newHttpClient();
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    /** A client of its own (its own connections), e.g. one per thread of a race. */
    ApiClient(ApiClient other) {
        this(other.port);
    }

    /** The server's port on 127.0.0.1, for a test that speaks HTTP over a socket of its own. */
    int port() {
        return port;
    }

    private static HttpClient newHttpClient() {
        // HTTP/1.1 only: the default would offer an h2c upgrade, which is not what OpenStack clients send.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Closes this client's connections. */
    @Override
    public void close() {
        client.close();
    }

    /** The server's root URL as clients address it, e.g. {@code http://127.0.0.1:41234}. */
    String baseUrl() {
        return base;
    }

    /**
     * Who calls: the noauth identity headers. {@code project} null means no header at all (Neutron's noauth
     * fake admin of project {@code fake_project_id}).
     */
    record Caller(String name, String project, String user, String roles) {
        static final Caller ADMIN = new Caller("admin", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "admin-user",
                "admin,member,reader");
        static final Caller NO_HEADERS = new Caller("no identity headers", null, null, null);

        /** A non-admin member of {@code project}. */
        static Caller member(String project) {
            return new Caller("member of " + project, project, "user-" + project, "member,reader");
        }

        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            if (project != null) {
                headers.put("X-Project-Id", project);
                headers.put("X-User-Id", user);
                headers.put("X-Roles", roles);
            }
            return headers;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A response: status, headers and the body as sent. */
    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("the response body is not JSON: " + body, e);
            }
        }

        String errorType() {
            return json().path("NeutronError").path("type").asText();
        }

        String errorMessage() {
            return json().path("NeutronError").path("message").asText();
        }

        Optional<String> contentType() {
            return headers.firstValue("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        }
    }

    Response get(String path, Caller caller) {
        return send("GET", path, caller.headers(), BodyPublishers.noBody());
    }

    Response delete(String path, Caller caller) {
        return send("DELETE", path, caller.headers(), BodyPublishers.noBody());
    }

    Response post(String path, Caller caller, String json) {
        return send("POST", path, withJson(caller), BodyPublishers.ofString(json));
    }

    Response put(String path, Caller caller, String json) {
        return send("PUT", path, withJson(caller), BodyPublishers.ofString(json));
    }

    /** POSTs {@code body} as it is, with {@code Content-Length} or chunked as the publisher decides. */
    Response post(String path, Caller caller, BodyPublisher body) {
        return send("POST", path, withJson(caller), body);
    }

    private static Map<String, String> withJson(Caller caller) {
        Map<String, String> headers = caller.headers();
        headers.put("Content-Type", "application/json");
        return headers;
    }

    /** Sends one request; {@code target} is the path with its (already encoded) query string. */
    Response send(String method, String target, Map<String, String> headers, BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target))
                .timeout(Duration.ofSeconds(60)).method(method, body);
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("%s %s failed".formatted(method, target), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Response answer = new Response(response.statusCode(), response.headers(), response.body());
        checkEveryResponse(method, target, answer);
        return answer;
    }

    private static void checkEveryResponse(String method, String target, Response answer) {
        // 501 is a contract answer (PUT on a rule); any other 5xx is a bug, and so is 503 here: these
        // tests never take the database away.
        assertThat(answer.status() < 500 || answer.status() == 501)
                .as("%s %s must not fail on the server side, but answered %s", method, target, answer)
                .isTrue();
        assertThat(answer.headers().firstValue("X-Openstack-Request-Id"))
                .as("X-Openstack-Request-Id of %s %s", method, target)
                .hasValueSatisfying(id -> assertThat(id).matches(REQUEST_ID));
    }
}
