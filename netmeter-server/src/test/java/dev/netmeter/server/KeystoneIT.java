package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.net.http.HttpRequest.BodyPublishers;
import dev.netmeter.service.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * netmeter against the real Keystone (Debian's Zed package, started by the test): users, projects and
 * roles made through Keystone's API, tokens Keystone issues, validated and revoked by Keystone; and the
 * OpenStack client logging in to Keystone with a password and finding netmeter in its catalog.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneIT {
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    private RealKeystone keystone;
    private RunningServer server;
    private String demo;
    private String other;
    private String suffix;

    @BeforeAll
    void start_keystone_with_two_projects_and_netmeter_in_front(@TempDir Path dir) throws Exception {
        keystone = RealKeystone.start();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        demo = keystone.createProject("demo-" + suffix);
        other = keystone.createProject("other-" + suffix);
        keystone.createUser("alice-" + suffix, PASSWORD, demo, "member");
        keystone.createUser("bob-" + suffix, PASSWORD, other, "member");
        server = RunningServer.start(Backend.H2, auth(dir, Duration.ofMinutes(5)));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (keystone != null) {
            keystone.close();
        }
    }

    private AuthSettings auth(Path dir, Duration cacheTtl) {
        return new AuthSettings(AuthSettings.Strategy.KEYSTONE, dir.resolve("tokens.json"), Policy.defaults(), 1000,
                cacheTtl, 1000, Optional.of(keystone.settings()));
    }

    private ApiClient.Response send(RunningServer target, String method, String path, String token, String json) {
        Map<String, String> headers = token == null ? Map.of() : Map.of("X-Auth-Token", token, "Content-Type",
                "application/json");
        return target.client().send(method, path, headers,
                json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
    }

    @Test
    void keystone_tokens_carry_their_project_and_roles_into_neutrons_policy() throws Exception {
        String admin = keystone.login("admin", RealKeystone.ADMIN_PASSWORD, "admin");
        String alice = keystone.login("alice-" + suffix, PASSWORD, "demo-" + suffix);
        String bob = keystone.login("bob-" + suffix, PASSWORD, "other-" + suffix);

        ApiClient.Response created = send(server, "POST", LABELS, admin,
                "{\"metering_label\": {\"name\": \"demo-web\", \"tenant_id\": \"%s\"}}".formatted(demo));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String label = created.json().path("metering_label").path("id").asText();

        assertThat(send(server, "GET", LABELS + "/" + label, alice, null).status()).isEqualTo(200);
        ApiClient.Response denied = send(server, "POST", LABELS, alice, "{\"metering_label\": {\"name\": \"mine\"}}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.errorMessage()).isEqualTo("rule:create_metering_label is disallowed by policy");
        assertThat(send(server, "GET", LABELS + "/" + label, bob, null).status()).isEqualTo(404);
        assertThat(send(server, "GET", LABELS, bob, null).body()).doesNotContain(label);

        ApiClient.Response anonymous = send(server, "GET", LABELS, null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .contains("Keystone uri=\"" + keystone.url() + "\"");
        assertThat(send(server, "GET", LABELS, "gAAAAABnot-a-fernet-token", null).status()).isEqualTo(401);
    }

    @Test
    void a_token_revoked_in_keystone_is_refused_once_its_cache_entry_expires(@TempDir Path dir) throws Exception {
        try (RunningServer shortCache = RunningServer.start(Backend.H2, auth(dir, Duration.ofSeconds(1)))) {
            String alice = keystone.login("alice-" + suffix, PASSWORD, "demo-" + suffix);
            String unused = keystone.login("alice-" + suffix, PASSWORD, "demo-" + suffix);
            assertThat(send(shortCache, "GET", LABELS, alice, null).status()).isEqualTo(200);

            keystone.revoke(alice);
            keystone.revoke(unused);
            assertThat(send(shortCache, "GET", LABELS, unused, null).status()).as("never cached").isEqualTo(401);
            Thread.sleep(1200);
            assertThat(send(shortCache, "GET", LABELS, alice, null).status()).as("cache entry over").isEqualTo(401);
        }
    }

    @Test
    void the_openstack_client_logs_in_to_keystone_and_finds_netmeter_in_the_catalog(@TempDir Path dir)
            throws Exception {
        OpenStackCli cli = new OpenStackCli(dir);
        keystone.registerEndpoint("network", server.client().baseUrl());
        List<String> asAdmin = login("admin", RealKeystone.ADMIN_PASSWORD, "admin");
        List<String> asAlice = login("alice-" + suffix, PASSWORD, "demo-" + suffix);

        // --project is resolved through Keystone's API, which only works with a real identity service.
        JsonNode created = cli.ok(asAdmin, "network", "meter", "create", "-f", "json", "--project", "demo-" + suffix,
                "--description", "made through the catalog", "cli-" + suffix).json();
        assertThat(created.path("project_id").asText()).isEqualTo(demo);

        JsonNode listed = cli.ok(asAlice, "network", "meter", "list", "-f", "json").json();
        assertThat(listed.findValuesAsText("Name")).contains("cli-" + suffix);
        OpenStackCli.Run refused = cli.run(asAlice, "network", "meter", "create", "mine-" + suffix);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.stderr()).contains("disallowed by policy");
    }

    private List<String> login(String user, String password, String project) {
        return List.of("--os-auth-url", keystone.url().toString(), "--os-identity-api-version", "3",
                "--os-username", user, "--os-password", password, "--os-project-name", project,
                "--os-user-domain-name", "Default", "--os-project-domain-name", "Default",
                "--os-region-name", "RegionOne", "--os-interface", "public");
    }
}
