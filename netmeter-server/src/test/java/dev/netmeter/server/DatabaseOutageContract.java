package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netmeter.persistence.jdbi.DatabaseSettings;
import dev.netmeter.persistence.jdbi.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away (every connection dropped, new ones refused) and comes back: requests get 503
 * with a NeutronError body, nothing is half-written, and the server recovers without a restart.
 */
abstract class DatabaseOutageContract {
    private static final Pattern HOST_PORT = Pattern.compile("//([^:/?]+):(\\d+)");

    private TestDatabase db;
    private TcpProxy proxy;
    private NetmeterServer server;
    private AdminHttp http;

    abstract TestDatabase.Backend backend();

    @BeforeEach
    void start_a_server_whose_database_is_behind_a_proxy() throws Exception {
        db = TestDatabase.create(backend());
        Matcher target = HOST_PORT.matcher(db.settings().url());
        assertThat(target.find()).isTrue();
        proxy = new TcpProxy(target.group(1), Integer.parseInt(target.group(2)));
        String proxied = target.replaceFirst("//127.0.0.1:" + proxy.port());
        DatabaseSettings settings = new DatabaseSettings(proxied, "", "", 4, Duration.ofSeconds(2));
        server = NetmeterServer.start(TestServers.config(settings, Duration.ofSeconds(5)));
        http = new AdminHttp(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        proxy.close();
        db.close();
    }

    @Test
    void a_bulk_create_cut_off_mid_transaction_answers_503_and_writes_nothing() throws Exception {
        String label = http.createLabel("outage");
        try (LabelRowLock lock = LabelRowLock.hold(db.settings(), label)) {
            CompletableFuture<AdminHttp.Answer> bulk = CompletableFuture.supplyAsync(() -> http.post(
                    "/v2.0/metering/metering-label-rules", """
                            {"metering_label_rules": [
                              {"metering_label_id": "%1$s", "direction": "ingress", "remote_ip_prefix": "10.0.0.0/24"},
                              {"metering_label_id": "%1$s", "direction": "egress", "remote_ip_prefix": "10.0.0.0/24"}
                            ]}""".formatted(label)));
            lock.awaitWaiter(Duration.ofSeconds(20));    // the transaction is open, waiting for the label's lock
            proxy.cut();

            AdminHttp.Answer answer = bulk.get(20, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.errorType()).isEqualTo("ServiceUnavailable");
            lock.release();
            assertThat(count(lock.connection(), "SELECT COUNT(*) FROM metering_label_rules")).isZero();
        }
    }

    @Test
    void while_the_database_is_away_requests_get_503_and_afterwards_they_work_again() throws Exception {
        http.createLabel("before");
        proxy.cut();

        AdminHttp.Answer list = http.get("/v2.0/metering/metering-labels");
        assertThat(list.status()).isEqualTo(503);
        assertThat(list.errorType()).isEqualTo("ServiceUnavailable");
        assertThat(list.body().toString()).doesNotContainIgnoringCase("sql").doesNotContain("Exception");
        assertThat(http.get("/healthz").status()).isEqualTo(503);
        AdminHttp.Answer create = http.post("/v2.0/metering/metering-labels", "{\"metering_label\": {}}");
        assertThat(create.status()).isEqualTo(503);

        proxy.restore();
        AdminHttp.Answer after = await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/v2.0/metering/metering-labels"), answer -> answer.status() == 200);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body().path("metering_labels")).hasSize(1);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    /**
     * Agents while the database is away: a read is 503; a long poll from the current revision needs no
     * database and times out as usual (304); one from an older revision needs a read and is 503. Once the
     * database is back, the feed finds changes again and wakes waiting agents.
     */
    @Test
    void agents_get_503_for_reads_while_the_database_is_away_and_their_long_polls_recover() throws Exception {
        AdminHttp.Answer router = http.post("/v2.0/metering/routers",
                "{\"router\": {\"host\": \"outage-host\", \"external_interface\": \"qg-outage\"}}");
        assertThat(router.status()).isEqualTo(201);
        long revision = http.get("/v2.0/metering/sync?host=outage-host").body().path("sync").path("revision").asLong();
        // Until the feed has read the router's revision (at most about a second), only the database knows
        // the host changed; a poll from just before it answers at once when the feed knows.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (http.get("/v2.0/metering/sync?host=outage-host&since=%d&timeout=0".formatted(revision - 1))
                .status() != 200
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        proxy.cut();

        AdminHttp.Answer read = http.get("/v2.0/metering/sync?host=outage-host");
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.errorType()).isEqualTo("ServiceUnavailable");
        assertThat(http.get("/v2.0/metering/sync?host=outage-host&since=%d&timeout=1".formatted(revision)).status())
                .isEqualTo(304);
        assertThat(http.get("/v2.0/metering/sync?host=outage-host&since=%d&timeout=1".formatted(revision - 1))
                .status()).isEqualTo(503);

        proxy.restore();
        CompletableFuture<AdminHttp.Answer> waiting = CompletableFuture.supplyAsync(() -> http.get(
                "/v2.0/metering/sync?host=outage-host&since=%d&timeout=60".formatted(revision)));
        AdminHttp.Answer label = await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.post("/v2.0/metering/metering-labels", "{\"metering_label\": {}}"),
                        answer -> answer.status() == 201);
        assertThat(label.status()).isEqualTo(201);
        assertThat(waiting.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    private static long count(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
