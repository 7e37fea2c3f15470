package dev.netmeter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.api.identity.KeystoneTokenValidator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Debian's Keystone (OpenStack Zed), started on a free loopback port by {@code scripts/keystone-test-server.sh}
 * with a private database, and driven through its v3 API as its bootstrap admin ({@code admin} /
 * {@code secret}, project {@code admin}). Not thread-safe.
 */
final class RealKeystone implements AutoCloseable {
    static final String ADMIN_PASSWORD = "secret";
    private static final Path SCRIPT = Path.of("..", "scripts", "keystone-test-server.sh").toAbsolutePath().normalize();

    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String adminToken;

    private RealKeystone(Map<String, String> environment) throws IOException, InterruptedException {
        this.environment = environment;
        this.adminToken = login("admin", ADMIN_PASSWORD, "admin");
    }

    /**
     * Starts one (about 7 s).
     *
     * @throws org.opentest4j.TestAbortedException if Keystone is not installed (outside CI)
     */
    static RealKeystone start() throws IOException, InterruptedException {
        ExternalTool.require("keystone-manage", "keystone");
        ExternalTool.require("uwsgi", "uwsgi-core uwsgi-plugin-python3");
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "start");
        builder.environment().put("KS_PORT", Integer.toString(LauncherIT.freePort()));
        Map<String, String> environment = TestServerScript.start(builder, "Keystone", Duration.ofSeconds(120));
        return new RealKeystone(environment);
    }

    /** The v3 endpoint, e.g. {@code http://127.0.0.1:35123/v3}. */
    URI url() {
        return URI.create(environment.get("OS_AUTH_URL"));
    }

    /** What netmeter needs to validate tokens here, as the bootstrap admin. */
    KeystoneSettings settings() {
        return new KeystoneSettings(url(), "admin", ADMIN_PASSWORD, "Default", "admin", "Default", url(),
                Duration.ofSeconds(10));
    }

    /** A project-scoped token of {@code user}. */
    String login(String user, String password, String project) throws IOException, InterruptedException {
        KeystoneSettings login = new KeystoneSettings(url(), user, password, "Default", project, "Default", url(),
                Duration.ofSeconds(10));
        HttpResponse<String> response = send("POST", "/auth/tokens?nocatalog", null,
                KeystoneTokenValidator.passwordAuthentication(login), 201);
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** Creates a project; returns its id. */
    String createProject(String name) throws IOException, InterruptedException {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.putObject("project").put("name", name).put("domain_id", "default");
        return json(send("POST", "/projects", adminToken, body.toString(), 201)).path("project").path("id").asText();
    }

    /** Creates a user with {@code role} on {@code projectId}; returns the user's id. */
    String createUser(String name, String password, String projectId, String role)
            throws IOException, InterruptedException {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.putObject("user").put("name", name).put("password", password).put("domain_id", "default");
        String userId = json(send("POST", "/users", adminToken, body.toString(), 201)).path("user").path("id").asText();
        String roleId = json(send("GET", "/roles?name=" + role, adminToken, null, 200)).path("roles").get(0)
                .path("id").asText();
        send("PUT", "/projects/%s/users/%s/roles/%s".formatted(projectId, userId, roleId), adminToken, null, 204);
        return userId;
    }

    /** Revokes {@code token} in Keystone. */
    void revoke(String token) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(url() + "/auth/tokens")).header("X-Auth-Token", adminToken)
                .header("X-Subject-Token", token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Registers {@code url} as the public endpoint of a service of {@code type} in region RegionOne. */
    void registerEndpoint(String type, String url) throws IOException, InterruptedException {
        ObjectNode service = ApiClient.JSON.createObjectNode();
        service.putObject("service").put("type", type).put("name", "netmeter");
        String serviceId = json(send("POST", "/services", adminToken, service.toString(), 201))
                .path("service").path("id").asText();
        ObjectNode endpoint = ApiClient.JSON.createObjectNode();
        endpoint.putObject("endpoint").put("service_id", serviceId).put("interface", "public").put("url", url)
                .put("region_id", environment.get("OS_REGION_NAME"));
        send("POST", "/endpoints", adminToken, endpoint.toString(), 201);
    }

    @Override
    public void close() throws IOException {
        TestServerScript.stop(SCRIPT, environment.get("KS_DIR"));
    }

    private HttpResponse<String> send(String method, String path, String token, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("Keystone answered %s %s with %d: %s".formatted(method, path,
                    response.statusCode(), response.body()));
        }
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return ApiClient.JSON.readTree(response.body());
    }
}
