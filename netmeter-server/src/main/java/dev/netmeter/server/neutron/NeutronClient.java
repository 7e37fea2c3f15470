package dev.netmeter.server.neutron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.api.identity.KeystoneServiceToken;
import dev.netmeter.domain.error.IdentityServiceUnavailableException;
import dev.netmeter.service.ExternalRoutersException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads lists from Neutron's API v2.0 over HTTP/1.1, following {@code <collection>_links} to the next page when
 * Neutron pages ({@code pagination_max_limit}). With a Keystone service token, sends it as {@code X-Auth-Token}
 * and, when Neutron refuses it (401), gets a new one and asks once more. Thread-safe.
 */
final class NeutronClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final URI url;
    private final Optional<KeystoneServiceToken> token;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param url Neutron's endpoint, without {@code /v2.0}
     * @param token the service token to send; empty: none (Neutron in noauth mode)
     */
    NeutronClient(URI url, Optional<KeystoneServiceToken> token, Duration timeout) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Every item of the collection at {@code pathAndQuery} (e.g. {@code /v2.0/routers}), all pages.
     *
     * @param collection the answer's key, e.g. {@code routers}
     * @throws ExternalRoutersException if Neutron cannot be reached, answers other than 200, or with a body
     *     that is not such a list
     */
    <T> List<T> list(String pathAndQuery, String collection, Class<T> type) throws ExternalRoutersException {
        List<T> items = new ArrayList<>();
        Optional<String> next = Optional.of(pathAndQuery);
        while (next.isPresent()) {
            JsonNode body = get(next.get());
            JsonNode array = body.get(collection);
            if (array == null || !array.isArray()) {
                throw new ExternalRoutersException("Neutron's answer to GET %s has no '%s' list"
                        .formatted(next.get(), collection));
            }
            for (JsonNode item : array) {
                try {
                    items.add(JSON.treeToValue(item, type));
                } catch (JsonProcessingException e) {
                    throw new ExternalRoutersException("Neutron's answer to GET %s has an item netmeter cannot read: %s"
                            .formatted(next.get(), e.getOriginalMessage()), e);
                }
            }
            next = nextPage(body.get(collection + "_links"));
        }
        return items;
    }

    /** How many requests this client has sent: a poll's cost, for tests and the bench. */
    long requests() {
        return requests.get();
    }

    private JsonNode get(String pathAndQuery) throws ExternalRoutersException {
        String sent = authToken(null);
        HttpResponse<String> response = send(pathAndQuery, sent);
        if (response.statusCode() == 401 && token.isPresent()) {
            response = send(pathAndQuery, authToken(sent));   // our token expired early or was revoked
        }
        if (response.statusCode() != 200) {
            throw new ExternalRoutersException("Neutron answered %d to GET %s%s".formatted(response.statusCode(),
                    pathAndQuery, response.statusCode() == 403 ? " (the service user needs the admin role, or a "
                            + "policy that lets it list every project's routers, ports and agents)" : ""));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ExternalRoutersException("Neutron's answer to GET %s is not JSON".formatted(pathAndQuery), e);
        }
    }

    private HttpResponse<String> send(String pathAndQuery, String authToken) throws ExternalRoutersException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json").GET();
        if (authToken != null) {
            request.header("X-Auth-Token", authToken);
        }
        requests.incrementAndGet();
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ExternalRoutersException("cannot reach Neutron at %s: %s".formatted(url, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExternalRoutersException("interrupted while waiting for Neutron", e);
        }
    }

    /** The service token (a new one if {@code rejected} was refused), or null in noauth mode. */
    private String authToken(String rejected) throws ExternalRoutersException {
        if (token.isEmpty()) {
            return null;
        }
        try {
            return rejected == null ? token.get().token() : token.get().renew(rejected);
        } catch (IdentityServiceUnavailableException e) {
            throw new ExternalRoutersException("cannot get a Keystone token for the service user to read Neutron "
                    + "(see the Keystone warning before this line)", e);
        }
    }

    /** The path and query of the {@code next} link, if Neutron paged the answer. */
    private Optional<String> nextPage(JsonNode links) {
        if (links == null || !links.isArray()) {
            return Optional.empty();
        }
        for (JsonNode link : links) {
            if ("next".equals(link.path("rel").asText()) && link.hasNonNull("href")) {
                URI href = URI.create(link.get("href").asText());
                // Neutron writes the host it was asked by; ask the endpoint netmeter was given.
                String path = href.getRawPath();
                String prefix = url.getRawPath() == null ? "" : url.getRawPath();
                if (!prefix.isEmpty() && path.startsWith(prefix + "/")) {
                    path = path.substring(prefix.length());
                }
                return Optional.of(path + (href.getRawQuery() == null ? "" : "?" + href.getRawQuery()));
            }
        }
        return Optional.empty();
    }
}
