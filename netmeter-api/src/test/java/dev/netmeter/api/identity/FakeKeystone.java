package dev.netmeter.api.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Keystone v3 token service on loopback, with Keystone's wire format: {@code POST /v3/auth/tokens}
 * (password method, project scope) answers 201 with {@code X-Subject-Token}; {@code GET /v3/auth/tokens}
 * validates {@code X-Subject-Token} for a caller whose {@code X-Auth-Token} holds the admin or service role
 * (200 with the token body; 404 for an unknown, revoked or expired subject; 401 for an invalid caller; 403
 * for a caller without the role). Expiry times are written as Keystone writes them
 * ({@code 2026-11-23T17:00:00.000000Z}). Counts validations, so that tests can see caching. Thread-safe.
 */
public final class FakeKeystone implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter KEYSTONE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** A user, with the one project it may scope to and its roles there. */
    public record User(String id, String name, String password, String projectId, String projectName,
            List<String> roles) {
    }

    private record Issued(User user, Instant expiresAt, boolean projectScoped) {
    }

    private final HttpServer server;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger validations = new AtomicInteger();
    private final AtomicInteger authentications = new AtomicInteger();
    private final Clock clock;
    private volatile Duration delay = Duration.ZERO;
    private volatile int failWith;
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    private FakeKeystone(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v3/auth/tokens", this::tokens);
        server.start();
    }

    /** Starts one with a service user {@code netmeter} / {@code service-secret} (role service, project service). */
    public static FakeKeystone start() {
        try {
            FakeKeystone keystone = new FakeKeystone(Clock.systemUTC());
            keystone.addUser(new User("u-netmeter", "netmeter", "service-secret", "p-service", "service",
                    List.of("service")));
            return keystone;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings that let a {@link KeystoneTokenValidator} in as the service user. */
    public KeystoneSettings settings(Duration timeout) {
        return new KeystoneSettings(url(), "netmeter", "service-secret", "Default", "service", "Default", url(),
                timeout);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v3");
    }

    public void addUser(User user) {
        users.put(user.name(), user);
    }

    /** Issues a project-scoped token for {@code user}, valid for the token lifetime. */
    public String issue(User user) {
        return issue(user, clock.instant().plus(tokenLifetime), true);
    }

    /** Issues a token with the given expiry and scope (a past expiry makes an expired token). */
    public String issue(User user, Instant expiresAt, boolean projectScoped) {
        addUser(user);
        String token = "gAAAAA" + UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, new Issued(user, expiresAt, projectScoped));
        return token;
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Forgets every token issued so far (a key rotation): clients must authenticate again. */
    public void revokeAllButUsers() {
        tokens.clear();
    }

    /** Every token issued so far, the service user's own included (to look for them in logs). */
    public Set<String> issuedTokens() {
        return Set.copyOf(tokens.keySet());
    }

    /** How many subject tokens were validated ({@code GET /v3/auth/tokens}). */
    public int validations() {
        return validations.get();
    }

    /** How many password authentications there were ({@code POST /v3/auth/tokens}). */
    public int authentications() {
        return authentications.get();
    }

    /** Answers every request after {@code delay} (to provoke timeouts). */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Answers every request with {@code status} (0: behave). */
    public void failWith(int status) {
        this.failWith = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void tokens(HttpExchange exchange) throws IOException {
        try (exchange) {
            pause();
            if (failWith != 0) {
                error(exchange, failWith, "Service Unavailable", "The server is failing on purpose.");
                return;
            }
            switch (exchange.getRequestMethod()) {
                case "POST" -> authenticate(exchange);
                case "GET" -> validate(exchange);
                case "DELETE" -> {
                    tokens.remove(exchange.getRequestHeaders().getFirst("X-Subject-Token"));
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> error(exchange, 405, "Method Not Allowed", "");
            }
        }
    }

    private void authenticate(HttpExchange exchange) throws IOException {
        authentications.incrementAndGet();
        JsonNode body = JSON.readTree(readAll(exchange.getRequestBody()));
        JsonNode password = body.path("auth").path("identity").path("password").path("user");
        User user = users.get(password.path("name").asText());
        if (user == null || !user.password().equals(password.path("password").asText())) {
            error(exchange, 401, "Unauthorized", "The request you have made requires authentication.");
            return;
        }
        String token = issue(user);
        exchange.getResponseHeaders().add("X-Subject-Token", token);
        respond(exchange, 201, tokenBody(tokens.get(token)));
    }

    private void validate(HttpExchange exchange) throws IOException {
        Optional<Issued> caller = live(exchange.getRequestHeaders().getFirst("X-Auth-Token"));
        if (caller.isEmpty()) {
            error(exchange, 401, "Unauthorized", "The request you have made requires authentication.");
            return;
        }
        if (!caller.get().user().roles().contains("admin") && !caller.get().user().roles().contains("service")) {
            error(exchange, 403, "Forbidden", "You are not authorized to perform the requested action: "
                    + "identity:validate_token.");
            return;
        }
        validations.incrementAndGet();
        String subject = exchange.getRequestHeaders().getFirst("X-Subject-Token");
        Optional<Issued> issued = live(subject);
        if (issued.isEmpty()) {
            error(exchange, 404, "Not Found", "Could not find token: %s.".formatted(subject));
            return;
        }
        respond(exchange, 200, tokenBody(issued.get()));
    }

    private Optional<Issued> live(String token) {
        Issued issued = token == null ? null : tokens.get(token);
        return issued != null && clock.instant().isBefore(issued.expiresAt()) ? Optional.of(issued) : Optional.empty();
    }

    private ObjectNode tokenBody(Issued issued) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode token = root.putObject("token");
        token.putArray("methods").add("password");
        User user = issued.user();
        ObjectNode userNode = token.putObject("user").put("id", user.id()).put("name", user.name())
                .put("password_expires_at", (String) null);
        userNode.putObject("domain").put("id", "default").put("name", "Default");
        token.putArray("audit_ids").add(UUID.randomUUID().toString().substring(0, 22));
        token.put("expires_at", KEYSTONE_TIME.format(issued.expiresAt()));
        token.put("issued_at", KEYSTONE_TIME.format(clock.instant().truncatedTo(ChronoUnit.SECONDS)));
        if (issued.projectScoped()) {
            ObjectNode project = token.putObject("project").put("id", user.projectId()).put("name", user.projectName());
            project.putObject("domain").put("id", "default").put("name", "Default");
            var roles = token.putArray("roles");
            user.roles().forEach(role -> roles.addObject().put("id", "r-" + role).put("name", role));
        } else {
            token.putObject("domain").put("id", "default").put("name", "Default");
        }
        token.put("is_domain", false);
        return root;
    }

    private void pause() {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void error(HttpExchange exchange, int status, String title, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", status).put("title", title).put("message", message);
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
