package dev.netmeter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A keep-alive HTTP/1.1 client of the API: an admin in noauth mode, or the bearer of a token. Thread-safe.
 */
final class BenchClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> token;

    /** A client of a noauth server. */
    BenchClient(String base) {
        this(base, Optional.empty());
    }

    /** A client that sends {@code token} as {@code X-Auth-Token}, if present. */
    BenchClient(String base, Optional<String> token) {
        this.base = base;
        this.token = token;
    }

    /** POSTs {@code body} and returns the response, failing unless it is 201. */
    JsonNode create(String path, String body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            throw new IOException("POST %s answered %d: %s".formatted(path, response.statusCode(),
                    new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return JSON.readTree(response.body());
    }

    /** GETs {@code path}, reads the body to its last byte, and returns its length; fails unless 200. */
    long get(String path) throws IOException, InterruptedException {
        return get(path, Optional.empty());
    }

    /** As {@link #get(String)}, asking for {@code accept} if given. */
    long get(String path, Optional<String> accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).GET();
        accept.ifPresent(type -> request.header("Accept", type));
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            long length = body.transferTo(java.io.OutputStream.nullOutputStream());
            if (response.statusCode() != 200) {
                throw new IOException("GET %s answered %d".formatted(path, response.statusCode()));
            }
            return length;
        }
    }

    /** Whether {@code GET /} answers 200 now. */
    boolean answers() {
        try {
            return http.send(request("/").timeout(Duration.ofSeconds(1)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        token.ifPresent(value -> request.header("X-Auth-Token", value));
        return request;
    }
}
