package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RandomTraffic;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.RouterTopology;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on one machine: {@code netmeter server} and {@code netmeter agent} as an operator starts
 * them (the launcher, static tokens), a router in a network namespace with an external interface, and real
 * UDP traffic between a client and an external host through it, IPv4 and IPv6. Labels of random rules
 * (legacy remote, source and destination, excluded, overlapping across labels, one shared label) meter it;
 * between phases of the transfer a rule is added, another removed and a label deleted, and the agent is
 * killed with SIGKILL and restarted while traffic flows without it. The usage the server then serves must
 * equal, per label, packet for packet and byte for byte, what the plain semantics say the datagrams sent
 * count. Needs root, {@code ip}, {@code nft} and {@code python3} (skipped without them, failed under CI).
 */
@Timeout(600)
class AgentEndToEndIT {
    private static final Path LAUNCHER = Path.of("..", "netmeter").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "e2e-net-1";
    private static final String PROJECT = "e2e-project";
    private static final Pattern APPLIED = Pattern.compile("sync revision (\\d+) applied");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;
    private String admin;
    /** The labels on the router, with the rules the server accepted, as the test believes them to be. */
    private final Map<LabelId, List<MeteringLabelRule>> labels = new LinkedHashMap<>();
    private final Map<LabelId, String> projects = new HashMap<>();
    private final Map<LabelId, TrafficCounter> expected = new HashMap<>();

    @Test
    void usage_served_equals_the_traffic_sent_across_rule_changes_a_deleted_label_and_an_agent_killed_mid_transfer()
            throws Exception {
        Random random = new Random(42);
        Instant began = Instant.now();
        try (RouterTopology topology = RouterTopology.create()) {
            port = LauncherIT.freePort();
            Process server = startServer();
            try {
                String agentToken = run("token", "create", "--data-dir", dir.resolve("data").toString(),
                        "--project", "service", "--user", "agent-" + HOST, "--role", "agent").strip();
                RouterId router = createRouter(topology.router().name());
                for (int i = 0; i < 5; i++) {
                    createLabel("label-" + i, false);
                }
                createLabel("shared", true);
                for (int i = 0; i < 40; i++) {
                    List<LabelId> ids = List.copyOf(labels.keySet());
                    addRule(RandomTraffic.randomRule(random, ids.get(random.nextInt(ids.size()))));
                }
                topology.send(RandomTraffic.everyPairOnce());     // neighbours resolved before any counter exists

                Process agent = startAgent(agentToken, "agent-1");
                awaitApplied("agent-1");
                send(topology, random, router);

                LabelId grown = List.copyOf(labels.keySet()).get(0);
                addRule(RandomTraffic.randomRule(random, grown));
                LabelId shrunk = labels.keySet().stream().filter(label -> labels.get(label).size() > 1
                        && !label.equals(grown)).findFirst().orElseThrow();
                deleteRule(shrunk, labels.get(shrunk).getFirst());
                LabelId deleted = labels.keySet().stream().filter(label -> !label.equals(grown)
                        && !label.equals(shrunk) && expected.getOrDefault(label, TrafficCounter.ZERO).packets() > 0)
                        .findFirst().orElseThrow();
                deleteLabel(deleted);
                awaitApplied("agent-1");
                send(topology, random, router);

                agent.destroyForcibly();       // SIGKILL: no last read, no goodbye
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
                send(topology, random, router);     // counted by the kernel while no agent runs

                agent = startAgent(agentToken, "agent-2");
                awaitApplied("agent-2");
                send(topology, random, router);

                assertThat(expected.values()).as("the traffic must count for some labels")
                        .filteredOn(counter -> counter.packets() > 0).hasSizeGreaterThan(2);
                Map<LabelId, TrafficCounter> served = awaitUsage(began);
                assertThat(served).as("usage per label, after %s", logs()).isEqualTo(nonZero(expected));
                assertThat(served).containsKey(deleted);
                assertThat(logs()).as("every counter read had a known project").doesNotContain("not reported");
                assertProjectTotals(began);
                LauncherIT.stop(agent);
            } finally {
                LauncherIT.stop(server);
            }
        }
    }

    /** Sends 300 random datagrams, and adds what they count under the labels as they are now (both directions). */
    private void send(RouterTopology topology, Random random, RouterId router) {
        List<RandomTraffic.Datagram> traffic = RandomTraffic.randomTraffic(random, 300);
        topology.send(RandomTraffic.lines(traffic));
        List<LabelMetering> metering = labels.entrySet().stream()
                .map(entry -> new LabelMetering(entry.getKey(), entry.getValue())).toList();
        RandomTraffic.expected(new RouterMetering(router, "model", RouterTopology.EXTERNAL_INTERFACE, metering),
                traffic)
                .forEach((counter, total) -> expected.merge(counter.label(), total, RandomTraffic::plus));
    }

    private Process startServer() throws Exception {
        Process server = launch("server", Map.of(), "server", "--listen", "127.0.0.1:" + port, "--data-dir",
                dir.resolve("data").toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(dir.resolve("data").resolve("admin-token")) || !answers()) {
            assertThat(server.isAlive()).as("server exited: %s", logs()).isTrue();
            assertThat(System.nanoTime()).as("server did not answer in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        admin = Files.readString(dir.resolve("data").resolve("admin-token")).strip();
        return server;
    }

    private Process startAgent(String token, String name) throws IOException {
        return launch(name, Map.of("NETMETER_AGENT_TOKEN", token, "NETMETER_AGENT_MEASURE_INTERVAL", "1",
                        "NETMETER_AGENT_REPORT_INTERVAL", "2",
                        "NETMETER_AGENT_LEDGER_FILE", dir.resolve("agent-ledger.json").toString()),
                "agent", "--server-url", "http://127.0.0.1:" + port, "--host", HOST,
                "--data-dir", dir.resolve("agent-data").toString());
    }

    private Process launch(String name, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until the agent's log says it applied the host's current sync revision. */
    private void awaitApplied(String agent) throws Exception {
        long revision = call("GET", "/v2.0/metering/sync?host=" + HOST, null).path("sync").path("revision").asLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            Matcher matcher = APPLIED.matcher(Files.readString(dir.resolve(agent + ".log")));
            long applied = -1;
            while (matcher.find()) {
                applied = Long.parseLong(matcher.group(1));
            }
            if (applied >= revision) {
                return;
            }
            assertThat(System.nanoTime()).as("%s did not apply revision %d: %s", agent, revision, logs())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The usage per label the server serves, once it stops changing and the agent has reported it all. */
    private Map<LabelId, TrafficCounter> awaitUsage(Instant began) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<LabelId, TrafficCounter> served = Map.of();
        while (System.nanoTime() < deadline) {
            served = new HashMap<>();
            for (JsonNode row : usage("label", began)) {
                served.put(LabelId.parse(row.path("label_id").asText()).orElseThrow(),
                        new TrafficCounter(row.path("pkts").asLong(), row.path("bytes").asLong()));
            }
            if (served.equals(nonZero(expected))) {
                return served;
            }
            Thread.sleep(500);
        }
        return served;
    }

    /** The project granularity adds up the labels of each project. */
    private void assertProjectTotals(Instant began) throws Exception {
        Map<String, TrafficCounter> byProject = new HashMap<>();
        nonZero(expected).forEach((label, counter) -> byProject.merge(projects.get(label), counter,
                RandomTraffic::plus));
        Map<String, TrafficCounter> served = new HashMap<>();
        for (JsonNode row : usage("project", began)) {
            served.put(row.path("project_id").asText(), new TrafficCounter(row.path("pkts").asLong(),
                    row.path("bytes").asLong()));
        }
        assertThat(served).isEqualTo(byProject);
    }

    private JsonNode usage(String granularity, Instant began) throws Exception {
        return call("GET", "/v2.0/metering/usage?granularity=" + granularity + "&start="
                + encode(began.minusSeconds(3600).toString()) + "&end="
                + encode(Instant.now().plusSeconds(3600).toString()), null).path("usage");
    }

    private static Map<LabelId, TrafficCounter> nonZero(Map<LabelId, TrafficCounter> counts) {
        Map<LabelId, TrafficCounter> nonZero = new HashMap<>();
        counts.forEach((label, counter) -> {
            if (counter.packets() > 0) {
                nonZero.put(label, counter);
            }
        });
        return nonZero;
    }

    private RouterId createRouter(String namespace) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("router").put("name", "e2e").put("tenant_id", PROJECT).put("host", HOST)
                .put("namespace", namespace).put("external_interface", RouterTopology.EXTERNAL_INTERFACE);
        return RouterId.parse(call("POST", "/v2.0/metering/routers", body).path("router").path("id").asText())
                .orElseThrow();
    }

    private void createLabel(String name, boolean shared) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode label = body.putObject("metering_label").put("name", name).put("shared", shared);
        if (!shared) {
            label.put("tenant_id", PROJECT);
        }
        JsonNode created = call("POST", "/v2.0/metering/metering-labels", body).path("metering_label");
        LabelId id = LabelId.parse(created.path("id").asText()).orElseThrow();
        labels.put(id, new ArrayList<>());
        projects.put(id, created.path("project_id").asText());
    }

    /** Creates {@code rule} (the server refuses one that overlaps a remote prefix of its label: it is left out). */
    private void addRule(MeteringLabelRule rule) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode item = body.putObject("metering_label_rule").put("metering_label_id", rule.labelId().toString())
                .put("direction", rule.direction().wireName()).put("excluded", rule.excluded());
        rule.remoteIpPrefix().ifPresent(prefix -> item.put("remote_ip_prefix", prefix.text()));
        rule.sourceIpPrefix().ifPresent(prefix -> item.put("source_ip_prefix", prefix.text()));
        rule.destinationIpPrefix().ifPresent(prefix -> item.put("destination_ip_prefix", prefix.text()));
        HttpResponse<String> response = send("POST", "/v2.0/metering/metering-label-rules", body);
        if (response.statusCode() == 409) {
            assertThat(response.body()).contains("MeteringLabelRuleOverlaps");
            return;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        RuleId id = RuleId.parse(JSON.readTree(response.body()).path("metering_label_rule").path("id").asText())
                .orElseThrow();
        labels.get(rule.labelId()).add(new MeteringLabelRule(id, rule.labelId(), rule.direction(), rule.excluded(),
                rule.remoteIpPrefix(), rule.sourceIpPrefix(), rule.destinationIpPrefix()));
    }

    private void deleteRule(LabelId label, MeteringLabelRule rule) throws Exception {
        assertThat(send("DELETE", "/v2.0/metering/metering-label-rules/" + rule.id(), null).statusCode())
                .isEqualTo(204);
        labels.get(label).remove(rule);
    }

    private void deleteLabel(LabelId label) throws Exception {
        assertThat(send("DELETE", "/v2.0/metering/metering-labels/" + label, null).statusCode()).isEqualTo(204);
        labels.remove(label);
    }

    private JsonNode call(String method, String path, JsonNode body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Auth-Token", admin).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }

    /** Every log of this test, for a failure message. */
    private String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("server", "agent-1", "agent-2")) {
            Path log = dir.resolve(name + ".log");
            try {
                Optional<String> content = Files.exists(log) ? Optional.of(Files.readString(log)) : Optional.empty();
                content.ifPresent(value -> text.append("\n--- ").append(name).append(".log\n").append(value));
            } catch (IOException e) {
                text.append("\n--- ").append(name).append(": ").append(e.getMessage());
            }
        }
        return text.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
