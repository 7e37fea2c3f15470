package dev.netmeter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client of a test server, calling as an admin of one project (noauth headers). */
final class AdminHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    AdminHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: its status and parsed body (null when empty). */
    record Answer(int status, JsonNode body) {
        String errorType() {
            return body.path("NeutronError").path("type").asText();
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Creates a label and returns its id. */
    String createLabel(String name) {
        Answer answer = post("/v2.0/metering/metering-labels",
                "{\"metering_label\": {\"name\": \"%s\"}}".formatted(name));
        if (answer.status() != 201) {
            throw new AssertionError("label create answered " + answer);
        }
        return answer.body().path("metering_label").path("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("X-Project-Id", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").header("X-Roles", "admin,member");
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), body.isEmpty() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
