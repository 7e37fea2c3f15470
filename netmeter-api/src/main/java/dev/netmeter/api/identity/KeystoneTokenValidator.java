package dev.netmeter.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.IdentityServiceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates tokens against a Keystone v3 identity service as keystonemiddleware does: the server gets a
 * token of its own with the service user's password, then asks {@code GET /v3/auth/tokens?nocatalog} with
 * {@code X-Auth-Token} (its token) and {@code X-Subject-Token} (the caller's). 200: valid; 404: unknown,
 * revoked or expired. Anything else, or no answer within the timeout, is an
 * {@link IdentityServiceUnavailableException}: never a pass. Thread-safe. Uncached: wrap it in a
 * {@link CachingTokenValidator}.
 */
public final class KeystoneTokenValidator implements TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneTokenValidator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KeystoneSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final KeystoneServiceToken serviceToken;

    public KeystoneTokenValidator(KeystoneSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = KeystoneServiceToken.httpClient(settings);
        this.serviceToken = new KeystoneServiceToken(settings, clock, http);
    }

    @Override
    public Optional<Identity> validate(String token) {
        if (!isHeaderSafe(token)) {
            return Optional.empty();    // a token with control characters cannot be sent on; it is not valid
        }
        String service = serviceToken.token();
        HttpResponse<String> response = validation(service, token);
        if (response.statusCode() == 401) {
            // Our own token expired early or was revoked: get a new one, once (and once for all the
            // validations that were refused with it at the same time).
            response = validation(serviceToken.renew(service), token);
        }
        return switch (response.statusCode()) {
            case 200 -> identity(response.body());
            case 404 -> Optional.empty();
            case 401 -> throw unavailable("Keystone rejected the service credentials (401)");
            case 403 -> throw unavailable("the service user may not validate tokens (403)");
            default -> throw unavailable("Keystone answered %d to a token validation".formatted(response.statusCode()));
        };
    }

    private HttpResponse<String> validation(String serviceToken, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/auth/tokens?nocatalog"))
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("X-Auth-Token", serviceToken)
                .header("X-Subject-Token", token)
                .GET().build();
        return send(request);
    }

    /**
     * The body of a Keystone v3 password login ({@code POST /v3/auth/tokens}) as {@code settings}' user,
     * scoped to its project.
     */
    public static String passwordAuthentication(KeystoneSettings settings) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", settings.username()).put("password", settings.password());
        user.putObject("domain").put("name", settings.userDomainName());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", settings.projectName());
        project.putObject("domain").put("name", settings.projectDomainName());
        return body.toString();
    }

    /** The identity in a validation response; empty for a token that is expired or not project-scoped. */
    private Optional<Identity> identity(String body) {
        JsonNode token = parse(body).path("token");
        String projectId = token.path("project").path("id").asText("");
        String userId = token.path("user").path("id").asText("");
        Optional<Instant> expiresAt = expiry(token);
        if (projectId.isEmpty() || userId.isEmpty() || expiresAt.isEmpty()) {
            // Unscoped, domain- or system-scoped: nothing in metering belongs to such a token.
            return Optional.empty();
        }
        if (projectId.codePointCount(0, projectId.length()) > ProjectId.MAX_LENGTH) {
            throw unavailable("Keystone returned a project id longer than %d characters"
                    .formatted(ProjectId.MAX_LENGTH));
        }
        Set<String> roles = new HashSet<>();
        token.path("roles").forEach(role -> roles.add(role.path("name").asText("")));
        roles.remove("");
        Identity identity = new Identity(new ProjectId(projectId), userId, token.path("user").path("name").asText(""),
                roles, expiresAt);
        if (!identity.isValidAt(clock.instant())) {
            return Optional.empty();
        }
        // Once per token per cache TTL: an audit trail of who came in, and how often Keystone is asked.
        LOG.info("Keystone validated a token of user {} ({}) of project {}, valid until {}", identity.userName(),
                userId, projectId, expiresAt.orElseThrow());
        return Optional.of(identity);
    }

    static Optional<Instant> expiry(JsonNode token) {
        try {
            return Optional.of(Instant.parse(token.path("expires_at").asText("")));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        return KeystoneServiceToken.send(http, settings, request);
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw unavailable("Keystone answered with a body that is not JSON");
        }
    }

    /** Logs why (the client learns only that it may retry) and returns the 503 to throw. */
    static IdentityServiceUnavailableException unavailable(String reason) {
        LOG.warn("Keystone: {}", reason);
        return new IdentityServiceUnavailableException();
    }

    private static boolean isHeaderSafe(String token) {
        return !token.isEmpty() && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
