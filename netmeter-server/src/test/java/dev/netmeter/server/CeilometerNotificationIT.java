package dev.netmeter.server;

import static dev.netmeter.server.UsageApiContract.AGENT;
import static dev.netmeter.server.UsageApiContract.REPORTS;
import static dev.netmeter.server.UsageApiContract.report;
import static dev.netmeter.server.UsageApiContract.row;
import static dev.netmeter.server.UsageApiContract.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.persistence.jdbi.TestDatabase;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.notification.NotificationSettings;
import dev.netmeter.server.notification.TransportUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real consumer: Ceilometer's notification agent (Debian's {@code ceilometer-agent-notification}) reads
 * netmeter's notifications from the local RabbitMQ with its default meter definitions and writes the
 * {@code bandwidth} samples they make to a file publisher: the volume is the row's bytes, the resource its
 * label, the project its project. Configured as the README tells operators, but with an exchange and topic of
 * this test's own. Skipped without Ceilometer (fails under CI, where {@code .ci/run} installs it).
 */
@Timeout(300)
class CeilometerNotificationIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void ceilometer_makes_one_bandwidth_sample_per_stored_row_with_its_bytes_label_and_project() throws Exception {
        Path agent = ExternalTool.require("ceilometer-agent-notification", "ceilometer-agent-notification");
        Path samples = dir.resolve("samples.json");
        try (RabbitQueue queue = RabbitQueue.create(false)) {
            Process ceilometer = start(agent, queue, samples);
            try (TestDatabase db = TestDatabase.create(Backend.H2)) {
                assertThat(queue.awaitConsumer(STARTUP)).as("Ceilometer listens on %s; its log:%n%s",
                        queue.queue(), log()).isTrue();
                try (NetmeterServer server = NetmeterServer.start(TestServers.config(db.settings(),
                        Duration.ofSeconds(5)).withNotifications(new NotificationSettings(Optional.of(
                        TransportUrl.parse(RabbitQueue.URL)), List.of(queue.topic()), queue.exchange(),
                        false, false)))) {
                    ApiClient api = new ApiClient(server.port());
                    String first = uuid();
                    String second = uuid();
                    String report = report(uuid(), "net-node-1", row(uuid(), first, "project-a", 10, 123_456, 0, 240),
                            row(uuid(), second, "project-b", 2, 789, 30, 60));
                    assertThat(api.post(REPORTS, AGENT, report).status()).isEqualTo(201);
                    assertThat(api.post(REPORTS, AGENT, report).status()).as("resent").isEqualTo(200);

                    List<JsonNode> bandwidth = await(samples, 2, ARRIVAL);
                    Thread.sleep(3_000);    // a duplicate would come within a few publisher polls

                    assertThat(samples(samples)).as("samples, after a resend too").hasSize(2);
                    assertThat(bandwidth).extracting(sample -> sample.get("name").asText(),
                                    sample -> sample.get("type").asText(), sample -> sample.get("unit").asText(),
                                    sample -> sample.get("volume").asLong(),
                                    sample -> sample.get("resource_id").asText(),
                                    sample -> sample.get("project_id").asText())
                            .containsExactlyInAnyOrder(
                                    tuple("bandwidth", "delta", "B", 123_456L, first, "project-a"),
                                    tuple("bandwidth", "delta", "B", 789L, second, "project-b"));
                }
            } finally {
                stop(ceilometer);
            }
        }
    }

    /** Ceilometer with only the meter pipeline, listening on the test's exchange and topic. */
    private Process start(Path agent, RabbitQueue queue, Path samples) throws IOException {
        Path pipeline = dir.resolve("pipeline.yaml");
        Files.writeString(pipeline, """
                ---
                sources:
                    - name: meter_source
                      meters:
                          - "bandwidth"
                      sinks:
                          - meter_sink
                sinks:
                    - name: meter_sink
                      publishers:
                          - file://%s?json
                """.formatted(samples));
        Path config = dir.resolve("ceilometer.conf");
        Files.writeString(config, """
                [DEFAULT]
                transport_url = %s
                pipeline_cfg_file = %s
                log_file = %s
                [notification]
                pipelines = meter
                notification_control_exchanges = %s
                [oslo_messaging_notifications]
                topics = %s
                """.formatted(RabbitQueue.URL, pipeline, dir.resolve("ceilometer.log"), queue.exchange(),
                queue.topic()));
        return new ProcessBuilder(agent.toString(), "--config-file", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ceilometer.out").toFile()).start();
    }

    private List<JsonNode> await(Path samples, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<JsonNode> found = samples(samples);
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            found = samples(samples);
        }
        assertThat(found).as("bandwidth samples; Ceilometer's log:%n%s", log()).hasSize(count);
        return found;
    }

    private static List<JsonNode> samples(Path file) throws IOException {
        List<JsonNode> samples = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    samples.add(ApiClient.JSON.readTree(line));
                }
            }
        }
        return samples;
    }

    private String log() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("ceilometer.out", "ceilometer.log")) {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(line -> text.append(line, 0, Math.min(line.length(), 300)).append('\n'));
            }
        }
        return text.toString();
    }

    /** SIGTERM (cotyledon stops its workers), then SIGKILL for whatever is left. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
