package dev.netmeter.server;

import static dev.netmeter.server.ApiClient.LABELS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /v2.0/metering/sync} over HTTP: what a host's agent gets (Neutron's
 * {@code get_sync_data_metering}), who may ask, and the long poll: an answer at once when the host's data
 * changed after the agent's revision, a wait otherwise, a wake-up when a change commits (for the hosts it
 * touches only), many waiting agents at once, and revisions that survive a restart. Sync reads on
 * PostgreSQL and MariaDB are covered by the persistence module's {@code SyncContract}.
 */
@Timeout(120)
class SyncApiTest extends HttpContract {
    private static final String ROUTERS = "/v2.0/metering/routers";
    private final ExecutorService agents = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    Backend backend() {
        return Backend.H2;
    }

    @AfterAll
    void stop_the_agents() {
        agents.shutdownNow();
    }

    @Test
    void a_host_gets_its_active_routers_each_naming_its_projects_labels_and_the_shared_ones() {
        String host = newHost();
        String p1 = newProject();
        String p2 = newProject();
        String r1 = createRouter(p1, host, true);
        String r2 = createRouter(p2, host, true);
        createRouter(p1, newHost(), true);
        createRouter(newProject(), host, false);
        String label1 = createLabel(p1, "l1");
        String label2 = createLabel(p2, "l2");
        String shared = createSharedLabel();
        String rule1 = createRule(label1, "ingress", "10.0.0.0/24");
        String rule2 = createRule(label2, "egress", "2001:db8::/64");
        String sharedRule = createRule(shared, "ingress", "0.0.0.0/0");

        JsonNode sync = sync(host, Caller.ADMIN).json().path("sync");

        assertThat(sync.path("host").asText()).isEqualTo(host);
        assertThat(sync.path("revision").canConvertToLong()).isTrue();
        Map<String, JsonNode> routers = byId(sync.path("routers"));
        assertThat(routers).containsOnlyKeys(r1, r2);
        // Other tests of this class share the server and may have made shared labels too.
        Set<String> everyShared = list(sync.path("metering_labels")).stream()
                .filter(label -> label.path("shared").asBoolean()).map(label -> label.path("id").asText())
                .collect(Collectors.toSet());
        assertThat(everyShared).contains(shared);
        assertThat(texts(routers.get(r1).path("_metering_labels"))).isEqualTo(union(everyShared, label1));
        assertThat(texts(routers.get(r2).path("_metering_labels"))).isEqualTo(union(everyShared, label2));
        assertThat(routers.get(r1).path("namespace").asText()).isEqualTo("qrouter-" + r1);
        assertThat(routers.get(r1).path("external_interface").asText()).isEqualTo("qg-test");
        Map<String, JsonNode> labels = byId(sync.path("metering_labels"));
        assertThat(labels).containsOnlyKeys(union(union(everyShared, label1), label2));
        assertThat(labels.get(shared).path("shared").asBoolean()).isTrue();
        assertThat(ids(list(labels.get(label1).path("rules")))).containsExactly(rule1);
        assertThat(ids(list(labels.get(label2).path("rules")))).containsExactly(rule2);
        assertThat(ids(list(labels.get(shared).path("rules")))).containsExactly(sharedRule);
        JsonNode rule = labels.get(label2).path("rules").get(0);
        assertThat(rule.path("direction").asText()).isEqualTo("egress");
        assertThat(rule.path("remote_ip_prefix").asText()).isEqualTo("2001:db8::/64");
        assertThat(rule.path("excluded").asBoolean()).isFalse();
    }

    @Test
    void an_agent_or_an_admin_may_read_sync_data_and_no_one_else() {
        String host = newHost();
        assertThat(sync(host, agent()).status()).isEqualTo(200);
        assertThat(sync(host, Caller.ADMIN).status()).isEqualTo(200);
        assertNeutronError(sync(host, Caller.member(newProject())), 403, "PolicyNotAuthorized",
                "rule:get_metering_sync is disallowed by policy");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                            | Required query parameter 'host' not specified",
            "host=                         | Invalid input for host. Reason: '' is not a valid host name: 1 to 255 of "
                    + "A-Z a-z 0-9 _ . -, not starting with -, not . or ...",
            "host=a%20b                    | Invalid input for host. Reason: 'a b' is not a valid host name: 1 to 255 "
                    + "of A-Z a-z 0-9 _ . -, not starting with -, not . or ...",
            "host=h&host=h                 | Query parameter 'host' given more than once",
            "host=h&since=-1               | Invalid input for since. Reason: '-1' is not a non-negative integer.",
            "host=h&since=1e3              | Invalid input for since. Reason: '1e3' is not a non-negative integer.",
            "host=h&since=1&timeout=121    | Invalid input for timeout. Reason: '121' is more than 120 seconds.",
            "host=h&since=1&timeout=x      | Invalid input for timeout. Reason: 'x' is not a non-negative integer.",
            "host=h&project_id=p           | Unrecognized query parameter 'project_id'",
    })
    void bad_parameters_are_a_400(String query, String message) {
        assertNeutronError(api.get("/v2.0/metering/sync?" + query, agent()), 400, "HTTPBadRequest", message);
    }

    @Test
    void a_poll_from_an_older_revision_answers_at_once_and_from_the_current_one_waits_for_the_timeout() {
        String host = newHost();
        String project = newProject();
        createRouter(project, host, true);
        long before = revision(host);
        createLabel(project, "new");

        long start = System.nanoTime();
        Response changed = poll(host, before, 30);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(elapsed(start)).isLessThan(Duration.ofSeconds(10));
        long current = changed.json().path("sync").path("revision").asLong();
        assertThat(current).isGreaterThan(before);

        start = System.nanoTime();
        Response unchanged = poll(host, current, 1);
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(elapsed(start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void a_revision_this_database_never_issued_answers_at_once() {
        String host = newHost();
        long future = revision(host) + 1_000_000;
        Response answer = poll(host, future, 30);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("sync").path("revision").asLong()).isLessThan(future);
    }

    @Test
    void a_label_deleted_while_an_agent_waits_wakes_it_with_data_without_the_label() throws Exception {
        String host = newHost();
        String project = newProject();
        createRouter(project, host, true);
        String label = createLabel(project, "doomed");
        createRule(label, "ingress", "192.0.2.0/24");
        long revision = revision(host);
        CompletableFuture<Response> waiting = pollLater(host, revision, 60);
        awaitWaiting(waiting);

        assertThat(api.delete(LABELS + "/" + label, Caller.ADMIN).status()).isEqualTo(204);

        Response woken = waiting.get(10, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        JsonNode sync = woken.json().path("sync");
        assertThat(byId(sync.path("metering_labels"))).doesNotContainKey(label);
        assertThat(texts(sync.path("routers").get(0).path("_metering_labels"))).doesNotContain(label);
    }

    @Test
    void changes_wake_the_agents_whose_hosts_they_touch_and_no_other() throws Exception {
        String touched = newHost();
        String untouched = newHost();
        String project = newProject();
        createRouter(project, touched, true);
        createRouter(newProject(), untouched, true);
        CompletableFuture<Response> touchedAgent = pollLater(touched, revision(touched), 60);
        CompletableFuture<Response> untouchedAgent = pollLater(untouched, revision(untouched), 3);
        awaitWaiting(touchedAgent);

        createLabel(project, "only-here");

        assertThat(touchedAgent.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(untouchedAgent.get(10, TimeUnit.SECONDS).status()).isEqualTo(304);
    }

    @Test
    void a_router_moved_away_wakes_its_old_host_whose_data_then_lacks_it() throws Exception {
        String from = newHost();
        String router = createRouter(newProject(), from, true);
        CompletableFuture<Response> agent = pollLater(from, revision(from), 60);
        awaitWaiting(agent);

        assertThat(api.put(ROUTERS + "/" + router, Caller.ADMIN, body("router", "host", newHost())).status())
                .isEqualTo(200);

        Response woken = agent.get(10, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(list(woken.json().path("sync").path("routers"))).isEmpty();
    }

    /**
     * 200 agents wait at once, on hosts of two projects. A shared label wakes them all; then a label of one
     * project wakes exactly that project's 100, and the other 100 time out.
     */
    @Test
    void many_waiting_agents_are_all_woken_by_a_shared_change_and_only_the_touched_ones_by_a_project_change()
            throws Exception {
        String projectA = newProject();
        String projectB = newProject();
        List<String> hostsA = IntStream.range(0, 100).mapToObj(i -> newHost()).toList();
        List<String> hostsB = IntStream.range(0, 100).mapToObj(i -> newHost()).toList();
        hostsA.forEach(host -> createRouter(projectA, host, true));
        hostsB.forEach(host -> createRouter(projectB, host, true));

        Map<String, CompletableFuture<Response>> round1 = pollAll(hostsA, hostsB, 60);
        String shared = createSharedLabel();
        for (CompletableFuture<Response> agent : round1.values()) {
            Response woken = agent.get(30, TimeUnit.SECONDS);
            assertThat(woken.status()).isEqualTo(200);
            assertThat(byId(woken.json().path("sync").path("metering_labels"))).containsKey(shared);
        }

        // Long enough that no poll times out before the change even on a loaded machine; project B's
        // polls must still end, with 304.
        Map<String, CompletableFuture<Response>> round2 = pollAll(hostsA, hostsB, 10);
        createLabel(projectA, "a-only");
        for (String host : hostsA) {
            assertThat(round2.get(host).get(30, TimeUnit.SECONDS).status()).as(host).isEqualTo(200);
        }
        for (String host : hostsB) {
            assertThat(round2.get(host).get(30, TimeUnit.SECONDS).status()).as(host).isEqualTo(304);
        }
    }

    @Test
    void revisions_live_in_the_database_and_are_not_reused_after_a_restart() throws Exception {
        try (TestDatabase database = TestDatabase.create(Backend.H2)) {
            String host = newHost();
            long before;
            try (NetmeterServer first = NetmeterServer.start(TestServers.config(database.settings(),
                    Duration.ofSeconds(5)));
                 ApiClient client = new ApiClient(first.port())) {
                client.post(ROUTERS, Caller.ADMIN, routerBody(newProject(), host, true));
                before = client.get("/v2.0/metering/sync?host=" + host, agent()).json().path("sync").path("revision")
                        .asLong();
                assertThat(before).isPositive();
            }
            try (NetmeterServer second = NetmeterServer.start(TestServers.config(database.settings(),
                    Duration.ofSeconds(5)));
                 ApiClient client = new ApiClient(second.port())) {
                Response unchanged = client.get("/v2.0/metering/sync?host=%s&since=%d&timeout=1"
                        .formatted(host, before), agent());
                assertThat(unchanged.status()).as("nothing changed across the restart").isEqualTo(304);
                client.post(ROUTERS, Caller.ADMIN, routerBody(newProject(), host, true));
                long after = client.get("/v2.0/metering/sync?host=" + host, agent()).json().path("sync")
                        .path("revision").asLong();
                assertThat(after).isGreaterThan(before);
            }
        }
    }

    /** Servers share a database for availability; each learns of the others' changes from the revisions. */
    @Test
    void a_change_made_through_another_server_on_the_same_database_reaches_agents_waiting_here() throws Exception {
        try (TestDatabase database = TestDatabase.create(Backend.H2);
             NetmeterServer here = NetmeterServer.start(TestServers.config(database.settings(), Duration.ofSeconds(5)));
             NetmeterServer there = NetmeterServer.start(TestServers.config(database.settings(),
                     Duration.ofSeconds(5)));
             ApiClient agentsServer = new ApiClient(here.port());
             ApiClient adminsServer = new ApiClient(there.port())) {
            String host = newHost();
            String project = newProject();
            adminsServer.post(ROUTERS, Caller.ADMIN, routerBody(project, host, true));
            long revision = agentsServer.get("/v2.0/metering/sync?host=" + host, agent()).json().path("sync")
                    .path("revision").asLong();
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> agentsServer.get(
                    "/v2.0/metering/sync?host=%s&since=%d&timeout=60".formatted(host, revision), agent()), agents);
            awaitWaiting(waiting);

            long start = System.nanoTime();
            String label = adminsServer.post(LABELS, Caller.ADMIN, body("metering_label", "name", "elsewhere",
                    "tenant_id", project)).json().path("metering_label").path("id").asText();

            Response woken = waiting.get(10, TimeUnit.SECONDS);
            assertThat(woken.status()).isEqualTo(200);
            assertThat(byId(woken.json().path("sync").path("metering_labels"))).containsKey(label);
            assertThat(elapsed(start)).as("within the feed's poll interval (1 s) and then some")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void stopping_the_server_answers_waiting_agents_at_once() throws Exception {
        try (TestDatabase database = TestDatabase.create(Backend.H2)) {
            NetmeterServer server = NetmeterServer.start(TestServers.config(database.settings(),
                    Duration.ofSeconds(30)));
            try (ApiClient client = new ApiClient(server.port())) {
                String host = newHost();
                long revision = client.get("/v2.0/metering/sync?host=" + host, agent()).json().path("sync")
                        .path("revision").asLong();
                CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> client.get(
                        "/v2.0/metering/sync?host=%s&since=%d&timeout=120".formatted(host, revision), agent()), agents);
                awaitWaitingAgents(client, 1);
                long start = System.nanoTime();
                server.close();
                assertThat(elapsed(start)).as("stop time").isLessThan(Duration.ofSeconds(10));
                assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(304);
            }
        }
    }

    private static Caller agent() {
        return new Caller("agent", "services", "agent-user", "agent");
    }

    private static String newHost() {
        return "host-" + newProject().substring(0, 12);
    }

    private String createRouter(String project, String host, boolean up) {
        Response created = api.post(ROUTERS, Caller.ADMIN, routerBody(project, host, up));
        assertThat(created.status()).as("router: %s", created).isEqualTo(201);
        return created.json().path("router").path("id").asText();
    }

    private static String routerBody(String project, String host, boolean up) {
        return body("router", "project_id", project, "host", host, "admin_state_up", up, "external_interface",
                "qg-test");
    }

    private String createSharedLabel() {
        Response created = api.post(LABELS, Caller.ADMIN, body("metering_label", "name", "shared", "shared", true));
        assertThat(created.status()).isEqualTo(201);
        return created.json().path("metering_label").path("id").asText();
    }

    private Response sync(String host, Caller caller) {
        return api.get("/v2.0/metering/sync?host=" + host, caller);
    }

    private long revision(String host) {
        return sync(host, agent()).json().path("sync").path("revision").asLong();
    }

    private Response poll(String host, long since, int timeoutSeconds) {
        return api.get("/v2.0/metering/sync?host=%s&since=%d&timeout=%d".formatted(host, since, timeoutSeconds),
                agent());
    }

    private CompletableFuture<Response> pollLater(String host, long since, int timeoutSeconds) {
        return CompletableFuture.supplyAsync(() -> poll(host, since, timeoutSeconds), agents);
    }

    private Map<String, CompletableFuture<Response>> pollAll(List<String> hostsA, List<String> hostsB, int timeout)
            throws InterruptedException {
        // Every revision first, so that the polls start together and their timeouts run from one moment.
        Map<String, Long> revisions = new HashMap<>();
        concat(hostsA, hostsB).forEach(host -> revisions.put(host, revision(host)));
        Map<String, CompletableFuture<Response>> polls = new HashMap<>();
        revisions.forEach((host, revision) -> polls.put(host, pollLater(host, revision, timeout)));
        Thread.sleep(1000);     // let the last ones register; one that has not yet is answered at once anyway
        polls.values().forEach(poll -> assertThat(poll).as("no answer before the change").isNotDone());
        return polls;
    }

    /** Waits until the server of {@code client} counts {@code count} long polls waiting on it. */
    private static void awaitWaitingAgents(ApiClient client, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (PrometheusText.parse(client.get("/metrics", Caller.ADMIN).body())
                .value("netmeter_sync_waiting_agents", "") != count) {
            assertThat(System.nanoTime()).as("%d agents waiting within 20 s", count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A poll that is still open after half a second is waiting on the server. */
    private static void awaitWaiting(CompletableFuture<Response> poll) throws InterruptedException {
        Thread.sleep(500);
        assertThat(poll).as("still waiting: %s", poll).isNotDone();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<String> union(Set<String> some, String one) {
        Set<String> all = new java.util.HashSet<>(some);
        all.add(one);
        return all;
    }

    private static Map<String, JsonNode> byId(JsonNode array) {
        return list(array).stream().collect(Collectors.toMap(node -> node.path("id").asText(), node -> node));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static Set<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).collect(Collectors.toSet());
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
