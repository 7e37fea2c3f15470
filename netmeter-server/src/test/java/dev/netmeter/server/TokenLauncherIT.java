package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.api.identity.FakeKeystone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view of authentication through the real launcher: the first start issues an admin token,
 * shown once; {@code netmeter token} issues and revokes tokens while the server runs; and neither tokens
 * nor passwords ever reach the logs, even at DEBUG.
 */
class TokenLauncherIT {
    private static final Path LAUNCHER = LaunchedServer.LAUNCHER;
    private static final Pattern TOKEN = Pattern.compile("nmt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
    private static final String LABELS = "/v2.0/metering/metering-labels";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void the_first_start_issues_an_admin_token_once_and_the_token_command_manages_tokens_live() throws Exception {
        int port = LauncherIT.freePort();
        Path data = dir.resolve("data");
        Process server = launch(port, data, "first", Map.of());
        String stderr = Files.readString(dir.resolve("first.err"));
        List<String> printed = tokens(stderr);
        assertThat(printed).as("printed once: %s", stderr).hasSize(1);
        String admin = printed.getFirst();
        assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(admin);
        assertThat(Files.getPosixFilePermissions(data.resolve("admin-token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data.resolve("tokens.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(data.resolve("tokens.json"))).doesNotContain(secret(admin));

        assertThat(get(port, LABELS, null).statusCode()).isEqualTo(401);
        assertThat(post(port, admin, "{\"metering_label\": {\"name\": \"web\", \"tenant_id\": \"p1\"}}").statusCode())
                .isEqualTo(201);

        String bob = run("token", "create", "--data-dir", data.toString(), "--project", "p1", "--user", "bob",
                "--role", "member,reader", "--description", "bob's scripts").strip();
        assertThat(bob).matches(TOKEN);
        HttpResponse<String> bobsList = get(port, LABELS, bob);
        assertThat(bobsList.statusCode()).isEqualTo(200);
        assertThat(bobsList.body()).contains("\"name\":\"web\"");
        assertThat(post(port, bob, "{\"metering_label\": {\"name\": \"mine\"}}").statusCode()).isEqualTo(403);

        String listed = run("token", "list", "--data-dir", data.toString());
        String bobId = bob.substring(4, 20);
        assertThat(listed).contains(bobId).contains("bob's scripts").doesNotContain(secret(bob))
                .doesNotContain(secret(admin));

        run("token", "revoke", "--data-dir", data.toString(), bobId);
        long revokedAt = System.nanoTime();
        while (get(port, LABELS, bob).statusCode() != 401) {
            // the recheck interval (1 s) plus a busy machine's request latency
            assertThat(System.nanoTime() - revokedAt).as("refused within a second or so, without a restart")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(3000));
            Thread.sleep(20);
        }
        assertThat(get(port, LABELS, admin).statusCode()).isEqualTo(200);
        LauncherIT.stop(server);

        Process restarted = launch(port, data, "second", Map.of());
        assertThat(tokens(Files.readString(dir.resolve("second.err")))).as("no second admin token").isEmpty();
        assertThat(get(port, LABELS, admin).statusCode()).isEqualTo(200);
        LauncherIT.stop(restarted);

        for (String log : List.of("first.log", "second.log")) {
            String text = Files.readString(dir.resolve(log));
            assertThat(text).contains("DEBUG").doesNotContain(secret(admin)).doesNotContain(secret(bob));
        }
    }

    @Test
    void a_token_created_before_the_first_start_comes_with_the_admin_token_and_a_server_without_admin_says_so()
            throws Exception {
        Path data = dir.resolve("data");
        Output created = runCapturing("token", "create", "--data-dir", data.toString(), "--project", "p1",
                "--user", "bob", "--role", "member");
        String bob = created.stdout().strip();
        assertThat(bob).matches(TOKEN);
        List<String> admins = tokens(created.stderr());
        assertThat(admins).as("the admin token issued with the token file: %s", created.stderr()).hasSize(1);
        String admin = admins.getFirst();
        assertThat(Files.readString(data.resolve("admin-token")).strip()).isEqualTo(admin);
        assertThat(created.stderr()).contains("this token command");

        int port = LauncherIT.freePort();
        Process server = launch(port, data, "first", Map.of());
        assertThat(tokens(Files.readString(dir.resolve("first.err")))).as("no second admin token").isEmpty();
        assertThat(Files.readString(dir.resolve("first.log"))).doesNotContain("holds the admin role");
        assertThat(post(port, admin, "{\"metering_label\": {\"name\": \"web\", \"tenant_id\": \"p1\"}}")
                .statusCode()).isEqualTo(201);
        assertThat(get(port, LABELS, bob).statusCode()).isEqualTo(200);

        run("token", "revoke", "--data-dir", data.toString(), admin.substring(4, 20));
        LauncherIT.stop(server);
        Process restarted = launch(port, data, "second", Map.of());
        LauncherIT.stop(restarted);
        assertThat(Files.readString(dir.resolve("second.log")))
                .contains("no valid token in " + data.resolve("tokens.json").toAbsolutePath() + " holds the admin role")
                .contains("netmeter token create --project admin --user admin --role admin");
    }

    @Test
    void an_agent_whose_token_is_refused_says_what_is_wrong_and_how_to_fix_it() throws Exception {
        int port = LauncherIT.freePort();
        Process server = launch(port, dir.resolve("data"), "server", Map.of());
        Path agentLog = dir.resolve("agent.log");
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "agent", "--host", "net-refused",
                "--server-url", "http://127.0.0.1:" + port, "--data-dir", dir.resolve("agent-data").toString())
                .redirectErrorStream(true).redirectOutput(agentLog.toFile());
        builder.environment().put("NETMETER_AGENT_TOKEN", "nmt_0123456789abcdef_not-a-token-the-server-issued");
        Process agent = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(agentLog).contains("refuses this agent's token")) {
                assertThat(agent.isAlive()).as("agent exited: %s", Files.readString(agentLog)).isTrue();
                assertThat(System.nanoTime()).as("no word of the refused token: %s", Files.readString(agentLog))
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(Files.readString(agentLog)).contains("ERROR").contains("answered 401")
                    .contains("netmeter token create --project services --user agent-net-refused --role agent")
                    .contains("the sync is retried every 60 s");
            assertThat(dir.resolve("agent-data")).isDirectory();
        } finally {
            agent.destroy();
            agent.waitFor(60, TimeUnit.SECONDS);
            LauncherIT.stop(server);
        }
    }

    @Test
    void neither_keystone_tokens_nor_the_service_password_are_logged() throws Exception {
        try (FakeKeystone keystone = FakeKeystone.start()) {
            int port = LauncherIT.freePort();
            Process server = launch(port, dir.resolve("data"), "keystone", Map.of(
                    "NETMETER_SERVER_AUTH", "keystone",
                    "NETMETER_KEYSTONE_AUTH_URL", keystone.url().toString(),
                    "NETMETER_KEYSTONE_USERNAME", "netmeter",
                    "NETMETER_KEYSTONE_PASSWORD", "service-secret"));
            String valid = keystone.issue(KeystoneAuthorizationMatrixTest.user("p1", "admin"));
            assertThat(get(port, LABELS, valid).statusCode()).isEqualTo(200);
            assertThat(get(port, LABELS, "gAAAAABguessed-token-value").statusCode()).isEqualTo(401);
            assertThat(post(port, valid, "{\"metering_label\": {\"name\": \"x\"}}").statusCode()).isEqualTo(201);
            LauncherIT.stop(server);

            String log = Files.readString(dir.resolve("keystone.log")) + Files.readString(dir.resolve("keystone.err"));
            assertThat(log).contains("DEBUG").contains("authenticated to Keystone");
            assertThat(log).doesNotContain("service-secret").doesNotContain("gAAAAABguessed-token-value");
            for (String token : keystone.issuedTokens()) {
                assertThat(log).doesNotContain(token);
            }
        }
    }

    private Process launch(int port, Path data, String name, Map<String, String> environment) throws Exception {
        Map<String, String> debug = new HashMap<>(environment);
        debug.putIfAbsent("NETMETER_LOG_LEVEL", "DEBUG");
        return LaunchedServer.start(port, data, debug, dir.resolve(name + ".log"), dir.resolve(name + ".err"))
                .process();
    }

    private String run(String... arguments) throws Exception {
        return runCapturing(arguments).stdout();
    }

    private record Output(String stdout, String stderr) {
    }

    /** Runs the launcher with {@code arguments}, which must succeed; what it printed on each stream. */
    private Output runCapturing(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, Files.readString(stderr)).isZero();
        return new Output(output, Files.readString(stderr));
    }

    private static List<String> tokens(String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    /** The part of a token that must never be written anywhere but to its owner. */
    private static String secret(String token) {
        return token.substring(21);
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + LABELS))
                .timeout(Duration.ofSeconds(30)).header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
