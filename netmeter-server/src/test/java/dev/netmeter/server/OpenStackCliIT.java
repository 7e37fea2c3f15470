package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static dev.netmeter.server.ApiClient.RULES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.api.ApiSettings;
import dev.netmeter.api.identity.StaticToken;
import dev.netmeter.api.identity.TokenFile;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.net.http.HttpRequest.BodyPublishers;
import dev.netmeter.service.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real OpenStack CLI ({@code openstack network meter …}, python3-openstackclient) drives every
 * metering command against an in-process server on H2, once with noauth ({@code --os-auth-type none}) and
 * once with a static API token ({@code --os-auth-type admin_token --os-token …}): creates, lists, shows by
 * name and by id, creates rules of every kind, is refused an overlapping rule (409), deletes; the HTTP API
 * confirms that what the CLI did is stored. A wrong token makes the CLI fail with 401 and changes nothing.
 * Without the CLI these tests are skipped, or fail when {@code CI} is set.
 */
class OpenStackCliIT {
    private OpenStackCli cli;

    @TempDir
    Path dir;

    /** How the CLI authenticates, and so how the server is configured. */
    enum Auth { NOAUTH, STATIC_TOKEN }

    /** Skips each test without the CLI (with a banner, once), or fails under CI. */
    @BeforeEach
    void the_openstack_cli_is_installed() {
        cli = new OpenStackCli(dir);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Auth.class)
    void every_metering_command_of_the_cli_works_and_is_stored(Auth auth) throws Exception {
        try (Server server = Server.start(auth, dir.resolve("server"))) {
            List<String> flags = server.cliFlags(server.token().orElse(null));

            JsonNode web = cli.ok(flags, "network", "meter", "create", "-f", "json", "--description", "web traffic",
                    "--no-share", "web-cli").json();
            JsonNode shared = cli.ok(flags, "network", "meter", "create", "-f", "json", "--share", "shared-cli").json();
            assertThat(web.path("name").asText()).isEqualTo("web-cli");
            assertThat(web.path("description").asText()).isEqualTo("web traffic");
            assertThat(web.path("shared").asBoolean(true)).isFalse();
            assertThat(web.path("project_id").asText()).isEqualTo(server.project());
            assertThat(shared.path("shared").asBoolean(false)).isTrue();
            assertThat(shared.path("description").asText()).isEmpty();
            String webId = web.path("id").asText();
            String sharedId = shared.path("id").asText();
            JsonNode stored = server.get(LABELS + "/" + webId).path("metering_label");
            assertThat(stored.path("name").asText()).isEqualTo("web-cli");
            assertThat(stored.path("description").asText()).isEqualTo("web traffic");
            assertThat(stored.path("shared").asBoolean(true)).isFalse();
            assertThat(stored.path("project_id").asText()).isEqualTo(server.project());
            assertThat(server.get(LABELS + "/" + sharedId).path("metering_label").path("shared").asBoolean())
                    .isTrue();

            // The list's "Shared" column is always blank with this client (it reads 'shared', the SDK has
            // 'is_shared'), so only ids, names and descriptions are compared.
            JsonNode listed = cli.ok(flags, "network", "meter", "list", "-f", "json").json();
            assertThat(listed).extracting(row -> row.path("ID").asText() + " " + row.path("Name").asText()
                    + " " + row.path("Description").asText())
                    .containsExactlyInAnyOrder(webId + " web-cli web traffic", sharedId + " shared-cli ");
            assertThat(cli.ok(flags, "network", "meter", "show", "-f", "json", "web-cli").json()).isEqualTo(web);
            assertThat(cli.ok(flags, "network", "meter", "show", "-f", "json", sharedId).json()).isEqualTo(shared);

            JsonNode remote = cli.ok(flags, "network", "meter", "rule", "create", "-f", "json", "--ingress",
                    "--include",
                    "--remote-ip-prefix", "10.0.0.0/24", "web-cli").json();
            assertThat(remote.path("direction").asText()).isEqualTo("ingress");
            assertThat(remote.path("remote_ip_prefix").asText()).isEqualTo("10.0.0.0/24");
            assertThat(remote.path("is_excluded").asBoolean(true)).isFalse();
            assertThat(remote.path("metering_label_id").asText()).isEqualTo(webId);
            JsonNode pair = cli.ok(flags, "network", "meter", "rule", "create", "-f", "json", "--egress", "--exclude",
                    "--source-ip-prefix", "192.168.0.0/16", "--destination-ip-prefix", "172.16.0.0/12", webId)
                    .json();
            assertThat(pair.path("direction").asText()).isEqualTo("egress");
            assertThat(pair.path("is_excluded").asBoolean(false)).isTrue();
            assertThat(pair.path("source_ip_prefix").asText()).isEqualTo("192.168.0.0/16");
            assertThat(pair.path("destination_ip_prefix").asText()).isEqualTo("172.16.0.0/12");
            assertThat(pair.path("remote_ip_prefix").isNull()).as("remote_ip_prefix of %s", pair).isTrue();
            String remoteId = remote.path("id").asText();
            String pairId = pair.path("id").asText();
            JsonNode storedPair = server.get(RULES + "/" + pairId).path("metering_label_rule");
            assertThat(storedPair.path("metering_label_id").asText()).isEqualTo(webId);
            assertThat(storedPair.path("direction").asText()).isEqualTo("egress");
            assertThat(storedPair.path("excluded").asBoolean(false)).isTrue();
            assertThat(storedPair.path("source_ip_prefix").asText()).isEqualTo("192.168.0.0/16");
            assertThat(storedPair.path("destination_ip_prefix").asText()).isEqualTo("172.16.0.0/12");
            assertThat(server.get(RULES + "/" + remoteId).path("metering_label_rule").path("remote_ip_prefix")
                    .asText()).isEqualTo("10.0.0.0/24");

            OpenStackCli.Run overlapping = cli.run(flags, "network", "meter", "rule", "create", "--remote-ip-prefix",
                    "10.0.0.128/25",
                    "web-cli");
            assertThat(overlapping.exit()).as("overlapping rule: %s", overlapping).isEqualTo(1);
            assertThat(overlapping.stderr()).contains("409").contains("overlaps another");
            assertThat(ids(server.get(RULES), "metering_label_rules")).containsExactlyInAnyOrder(remoteId, pairId);

            JsonNode rules = cli.ok(flags, "network", "meter", "rule", "list", "-f", "json").json();
            assertThat(rules).extracting(row -> row.path("ID").asText() + " " + row.path("Direction").asText()
                    + " " + row.path("Remote IP Prefix").asText() + " " + row.path("Source IP Prefix").asText()
                    + " " + row.path("Destination IP Prefix").asText())
                    .containsExactlyInAnyOrder(remoteId + " ingress 10.0.0.0/24 null null",
                            pairId + " egress null 192.168.0.0/16 172.16.0.0/12");
            assertThat(cli.ok(flags, "network", "meter", "rule", "show", "-f", "json", remoteId).json())
                    .isEqualTo(remote);

            cli.ok(flags, "network", "meter", "rule", "delete", remoteId);
            assertThat(server.api().send("GET", RULES + "/" + remoteId, server.headers(), BodyPublishers.noBody())
                    .status()).isEqualTo(404);
            OpenStackCli.Run deleted = cli.run(flags, "network", "meter", "rule", "show", remoteId);
            assertThat(deleted.exit()).as("show of a deleted rule: %s", deleted).isEqualTo(1);
            assertThat(deleted.stderr()).contains("No MeteringLabelRule found for " + remoteId);

            cli.ok(flags, "network", "meter", "delete", "web-cli", "shared-cli");
            assertThat(ids(server.get(LABELS), "metering_labels")).isEmpty();
            assertThat(ids(server.get(RULES), "metering_label_rules")).as("rules go with their label").isEmpty();
        }
    }

    @Test
    void a_wrong_token_makes_the_cli_fail_with_401_and_changes_nothing() throws Exception {
        try (Server server = Server.start(Auth.STATIC_TOKEN, dir.resolve("server"))) {
            ApiClient.Response created = server.api().send("POST", LABELS, server.jsonHeaders(),
                    BodyPublishers.ofString("{\"metering_label\": {\"name\": \"kept\"}}"));
            assertThat(created.status()).as("creating a label: %s", created).isEqualTo(201);
            String id = created.json().path("metering_label").path("id").asText();
            String token = server.token().orElseThrow();
            // The token's real id with another secret: found in the file, but its hash does not match.
            // "nmt_" + 16 hex digits + "_" comes first; the base64url secret may itself hold '_'.
            List<String> wrong = server.cliFlags(token.substring(0, "nmt_".length() + 17) + "A".repeat(43));

            for (List<String> command : List.of(List.of("network", "meter", "delete", id),
                    List.of("network", "meter", "create", "intruder"))) {
                OpenStackCli.Run refused = cli.run(wrong, command.toArray(String[]::new));
                assertThat(refused.exit()).as("%s with a wrong token: %s", command, refused).isNotZero();
                assertThat(refused.stderr()).contains("401").containsIgnoringCase("authentication");
            }
            assertThat(ids(server.get(LABELS), "metering_labels")).containsExactly(id);
        }
    }

    private static List<String> ids(JsonNode listing, String collection) {
        return StreamSupport.stream(listing.path(collection).spliterator(), false)
                .map(item -> item.path("id").asText()).toList();
    }

    /** A server on H2 and how its admin reaches it: CLI flags and plain HTTP headers. */
    private record Server(TestDatabase database, NetmeterServer server, ApiClient api, Optional<String> token)
            implements AutoCloseable {
        static Server start(Auth auth, Path dataDir) {
            Optional<String> token = Optional.empty();
            AuthSettings settings = AuthSettings.noauth(dataDir);
            if (auth == Auth.STATIC_TOKEN) {
                Path tokenFile = dataDir.resolve("tokens.json");
                StaticToken.Issued issued = StaticToken.issue(new ProjectId("admin"), "admin",
                        Set.of("admin", "member", "reader"), Instant.now(), Optional.empty(), "cli test");
                TokenFile.update(tokenFile, tokens -> List.of(issued.token()));
                settings = new AuthSettings(AuthSettings.Strategy.TOKEN, tokenFile, Policy.defaults(), 1000,
                        Duration.ofMinutes(5), 10_000, Optional.empty());
                token = Optional.of(issued.secret());
            }
            TestDatabase database = TestDatabase.create(Backend.H2);
            try {
                NetmeterServer server = NetmeterServer.start(new ServerConfig("127.0.0.1", 0, dataDir, settings,
                        Duration.ofSeconds(5), new ApiSettings(1 << 20, 16384, -1, Optional.empty()),
                        database.settings(), Optional.empty(), "text", "INFO"));
                return new Server(database, server, new ApiClient(server.port()), token);
            } catch (RuntimeException | Error e) {
                database.close();
                throw e;
            }
        }

        /** The project the admin acts for: noauth's fake admin, or the token's project. */
        String project() {
            return token.isPresent() ? "admin" : "fake_project_id";
        }

        /** The global options that point the CLI at this server, presenting {@code secret} if a token server. */
        List<String> cliFlags(String secret) {
            return token.isEmpty()
                    ? List.of("--os-auth-type", "none", "--os-endpoint", api.baseUrl())
                    : List.of("--os-auth-type", "admin_token", "--os-endpoint", api.baseUrl(), "--os-token", secret);
        }

        Map<String, String> headers() {
            return token.map(secret -> Map.of("X-Auth-Token", secret)).orElse(Map.of());
        }

        Map<String, String> jsonHeaders() {
            return token.map(secret -> Map.of("X-Auth-Token", secret, "Content-Type", "application/json"))
                    .orElse(Map.of("Content-Type", "application/json"));
        }

        /** GETs {@code path} as the admin and expects 200. */
        JsonNode get(String path) {
            ApiClient.Response response = api.send("GET", path, headers(), BodyPublishers.noBody());
            assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
            return response.json();
        }

        @Override
        public void close() {
            try {
                api.close();
                server.close();
            } finally {
                database.close();
            }
        }
    }
}
