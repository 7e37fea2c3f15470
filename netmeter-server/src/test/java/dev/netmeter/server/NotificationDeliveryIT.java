package dev.netmeter.server;

import static dev.netmeter.server.UsageApiContract.AGENT;
import static dev.netmeter.server.UsageApiContract.REPORTS;
import static dev.netmeter.server.UsageApiContract.report;
import static dev.netmeter.server.UsageApiContract.row;
import static dev.netmeter.server.UsageApiContract.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.RabbitQueue.Message;
import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.server.notification.TransportUrl;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * l3.meter notifications on the real local RabbitMQ, read back from the queue Ceilometer reads: every stored
 * usage row arrives once, in oslo.messaging's envelope, whatever happens between storing and publishing — a
 * resent report, RabbitMQ stopped and started again, a server restart, two servers on one database.
 */
@Timeout(300)
class NotificationDeliveryIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    /** How long to watch for a message that must not come: several publisher polls. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Test
    void each_stored_row_arrives_once_in_oslo_messagings_envelope_and_a_resent_report_adds_nothing()
            throws IOException {
        try (RabbitQueue queue = RabbitQueue.create(false); TestDatabase db = TestDatabase.create(Backend.H2);
             NetmeterServer server = NetmeterServer.start(config(db, queue, RabbitQueue.URL))) {
            ApiClient api = new ApiClient(server.port());
            String router = uuid();
            String label = uuid();
            String report = report(uuid(), "net-node-1", row(router, label, "p1", 10, 1000, 0, 240),
                    row(router, uuid(), "p2", 3, 300, 60, 120));

            assertThat(api.post(REPORTS, AGENT, report).status()).isEqualTo(201);
            List<Message> messages = queue.receive(2, ARRIVAL);
            assertThat(api.post(REPORTS, AGENT, report).status()).as("resent").isEqualTo(200);

            assertThat(messages).hasSize(2);
            assertThat(queue.receive(1, QUIET)).as("nothing for the resent report").isEmpty();
            assertThat(server.notificationsPublished()).isEqualTo(2);
            Message first = messages.stream().filter(message -> message.body().contains(label)).findFirst()
                    .orElseThrow();
            assertThat(first.properties().getContentType()).isEqualTo("application/json");
            assertThat(first.properties().getDeliveryMode()).as("persistent").isEqualTo(2);
            JsonNode envelope = ApiClient.JSON.readTree(first.body());
            assertThat(envelope.get("oslo.version").asText()).isEqualTo("2.0");
            JsonNode message = ApiClient.JSON.readTree(envelope.get("oslo.message").asText());
            assertThat(message.get("event_type").asText()).isEqualTo("l3.meter");
            assertThat(message.get("priority").asText()).isEqualTo("INFO");
            assertThat(message.get("publisher_id").asText()).isEqualTo("metering.net-node-1");
            assertThat(message.get("message_id").asText()).isEqualTo(first.properties().getMessageId());
            assertThat(message.get("timestamp").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
            JsonNode payload = message.get("payload");
            assertThat(payload.get("label_id").asText()).isEqualTo(label);
            assertThat(payload.get("project_id").asText()).isEqualTo("p1");
            assertThat(payload.get("tenant_id").asText()).isEqualTo("p1");
            assertThat(payload.get("bytes").asLong()).isEqualTo(1000);
            assertThat(payload.get("pkts").asLong()).isEqualTo(10);
            assertThat(payload.get("time").asLong()).isEqualTo(240);
            assertThat(payload.get("host").asText()).isEqualTo("net-node-1");
        }
    }

    @Test
    void granular_notifications_name_the_label_and_router_as_neutron_does_and_durable_declarations_work() {
        try (RabbitQueue queue = RabbitQueue.create(true); TestDatabase db = TestDatabase.create(Backend.H2);
             NetmeterServer server = NetmeterServer.start(TestServers.config(db.settings(), Duration.ofSeconds(5))
                     .withNotifications(new NotificationSettings(Optional.of(TransportUrl.parse(RabbitQueue.URL)),
                             List.of(queue.topic()), queue.exchange(), true, true)))) {
            ApiClient api = new ApiClient(server.port());
            ApiClient.Response created = api.post(ApiClient.LABELS, ApiClient.Caller.ADMIN,
                    "{\"metering_label\": {\"name\": \"internet\", \"shared\": true}}");
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            String label = created.json().path("metering_label").path("id").asText();
            String router = uuid();
            assertThat(api.post(REPORTS, AGENT, report(uuid(), "net-node-1", row(router, label, "p1", 1, 64, 0, 60)))
                    .status()).isEqualTo(201);

            List<Message> messages = queue.receive(1, ARRIVAL);

            assertThat(messages).hasSize(1);
            JsonNode message = osloMessage(messages.getFirst());
            assertThat(message.get("event_type").asText()).isEqualTo("l3.meter.label_router");
            JsonNode payload = message.get("payload");
            assertThat(payload.get("resource_id").asText()).isEqualTo("router-%s-label-%s".formatted(router, label));
            assertThat(payload.get("label_name").asText()).isEqualTo("internet");
            assertThat(payload.get("label_shared").asBoolean()).isTrue();
            assertThat(payload.get("router_id").asText()).isEqualTo(router);
            assertThat(payload.get("tenant_id").asText()).isEqualTo("p1");
        }
    }

    @Test
    void reports_stored_while_rabbitmq_is_stopped_all_arrive_once_after_it_starts_again() throws Exception {
        try (RabbitQueue queue = RabbitQueue.create(false); TestDatabase db = TestDatabase.create(Backend.H2);
             NetmeterServer server = NetmeterServer.start(config(db, queue, RabbitQueue.URL))) {
            ApiClient api = new ApiClient(server.port());
            Set<String> expected = new HashSet<>(post(api, 1, 2));    // connects the publisher first
            assertThat(queue.receive(2, ARRIVAL)).hasSize(2);
            try {
                rabbitmqctl("stop_app");
                expected.clear();
                expected.addAll(post(api, 5, 4));
            } finally {
                rabbitmqctl("start_app");
            }
            queue.connect();    // the queue was not durable: declare it again before the publisher's retry

            List<Message> messages = queue.receive(expected.size(), ARRIVAL);
            messages.addAll(queue.receive(1, QUIET));

            assertThat(labels(messages)).as("each once").containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void reports_stored_before_a_restart_are_published_by_the_next_server() {
        try (RabbitQueue queue = RabbitQueue.create(false); TestDatabase db = TestDatabase.create(Backend.H2)) {
            List<String> expected;
            // Port 1: nothing listens, so the first server stores but cannot publish.
            try (NetmeterServer first = NetmeterServer.start(config(db, queue, "rabbit://guest:guest@127.0.0.1:1/"))) {
                expected = post(new ApiClient(first.port()), 3, 3);
                assertThat(first.notificationsPublished()).isZero();
            }
            try (NetmeterServer second = NetmeterServer.start(config(db, queue, RabbitQueue.URL))) {
                List<Message> messages = queue.receive(expected.size(), ARRIVAL);
                messages.addAll(queue.receive(1, QUIET));
                assertThat(labels(messages)).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(second.notificationsPublished()).isEqualTo(expected.size());
            }
        }
    }

    @Test
    void two_servers_on_one_database_publish_each_row_once() {
        try (RabbitQueue queue = RabbitQueue.create(false); TestDatabase db = TestDatabase.create(Backend.POSTGRESQL);
             NetmeterServer one = NetmeterServer.start(config(db, queue, RabbitQueue.URL));
             NetmeterServer two = NetmeterServer.start(config(db, queue, RabbitQueue.URL))) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                expected.addAll(post(new ApiClient((i % 2 == 0 ? one : two).port()), 1, 50));
            }

            List<Message> messages = queue.receive(expected.size(), ARRIVAL);
            messages.addAll(queue.receive(1, QUIET));

            assertThat(labels(messages)).as("each once").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(one.notificationsPublished() + two.notificationsPublished()).isEqualTo(expected.size());
        }
    }

    private static ServerConfig config(TestDatabase db, RabbitQueue queue, String url) {
        return TestServers.config(db.settings(), Duration.ofSeconds(5)).withNotifications(new NotificationSettings(
                Optional.of(TransportUrl.parse(url)), List.of(queue.topic()), queue.exchange(), false, false));
    }

    /** Posts {@code reports} reports of {@code rows} rows each; returns their label ids, one per row. */
    private static List<String> post(ApiClient api, int reports, int rows) {
        List<String> labels = new ArrayList<>();
        for (int r = 0; r < reports; r++) {
            List<Object> usage = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                String label = uuid();
                labels.add(label);
                usage.add(row(uuid(), label, "p" + i, i + 1, 100L * (i + 1), 0, 60));
            }
            assertThat(api.post(REPORTS, AGENT, report(uuid(), "net-node-1", usage.toArray())).status())
                    .isEqualTo(201);
        }
        return labels;
    }

    private static List<String> labels(List<Message> messages) {
        return messages.stream().map(message -> osloMessage(message).at("/payload/label_id").asText()).toList();
    }

    /** The notification inside the envelope. */
    private static JsonNode osloMessage(Message message) {
        try {
            JsonNode envelope = ApiClient.JSON.readTree(message.body());
            return ApiClient.JSON.readTree(envelope.get("oslo.message").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code rabbitmqctl <command>} (the broker stays installed and its node running; only the app stops). */
    private static void rabbitmqctl(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rabbitmqctl %s: %s", command, output).isZero();
    }

}
