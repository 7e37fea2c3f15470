package dev.netmeter.server.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Notification;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each stored row as the notification Neutron's metering agent sends (neutron/services/metering/agents/
 * metering_agent.py): its keys, in its order, and the oslo envelope around it.
 */
class L3MeterNotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");
    private static final UsageKey KEY = new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
            new ProjectId("p1"));
    private static final NewUsageReport REPORT = new NewUsageReport("net-1", new UsageReport(UUID.randomUUID(), T0,
            T0.plusSeconds(300), Map.of(KEY, new Usage(7, 4200, T0.plusSeconds(30), T0.plusSeconds(270)))));

    @Test
    void a_label_counted_per_direction_is_one_notification_of_the_sum_under_the_direction_less_id()
            throws IOException {
        UsageKey ingress = new UsageKey(KEY.router(), KEY.label(), KEY.project(), Optional.of(Direction.INGRESS));
        UsageKey egress = new UsageKey(KEY.router(), KEY.label(), KEY.project(), Optional.of(Direction.EGRESS));
        NewUsageReport report = new NewUsageReport("net-1", new UsageReport(UUID.randomUUID(), T0,
                T0.plusSeconds(300), Map.of(ingress, new Usage(7, 4200, T0.plusSeconds(30), T0.plusSeconds(270)),
                egress, new Usage(3, 300, T0.plusSeconds(10), T0.plusSeconds(100)))));

        Notification notification = only(new L3MeterNotifications(false).of(report, Map.of(), T0));

        assertThat(notification.messageId()).isEqualTo(Notification.messageId(report.report().id(), KEY));
        JsonNode payload = JSON.readTree(notification.message()).get("payload");
        assertThat(payload.get("pkts").asLong()).isEqualTo(10);
        assertThat(payload.get("bytes").asLong()).isEqualTo(4500);
        assertThat(payload.get("first_update").asLong()).isEqualTo(T0.getEpochSecond() + 10);
        assertThat(payload.get("last_update").asLong()).isEqualTo(T0.getEpochSecond() + 270);
        assertThat(payload.get("time").asLong()).isEqualTo(260);
    }

    @Test
    void a_row_is_an_l3_meter_notification_with_neutrons_payload_and_tenant_id() throws IOException {
        Notification notification = only(new L3MeterNotifications(false).of(REPORT, Map.of(),
                Instant.parse("2026-11-23T20:05:01.250Z")));

        JsonNode message = JSON.readTree(notification.message());
        assertThat(notification.eventType()).isEqualTo("l3.meter");
        assertThat(fields(message)).containsExactly("message_id", "publisher_id", "event_type", "priority", "payload",
                "timestamp");
        assertThat(message.get("message_id").asText()).isEqualTo(notification.messageId().toString())
                .isEqualTo(Notification.messageId(REPORT.report().id(), KEY).toString());
        assertThat(message.get("publisher_id").asText()).isEqualTo("metering.net-1");
        assertThat(message.get("priority").asText()).isEqualTo("INFO");
        assertThat(message.get("timestamp").asText()).isEqualTo("2026-11-23 20:05:01.250000");
        JsonNode payload = message.get("payload");
        assertThat(fields(payload)).containsExactly("pkts", "bytes", "time", "first_update", "last_update", "host",
                "label_id", "project_id", "tenant_id");
        assertThat(payload.get("pkts").asLong()).isEqualTo(7);
        assertThat(payload.get("bytes").asLong()).isEqualTo(4200);
        assertThat(payload.get("time").asLong()).isEqualTo(240);
        assertThat(payload.get("first_update").asLong()).isEqualTo(T0.getEpochSecond() + 30);
        assertThat(payload.get("last_update").asLong()).isEqualTo(T0.getEpochSecond() + 270);
        assertThat(payload.get("host").asText()).isEqualTo("net-1");
        assertThat(payload.get("label_id").asText()).isEqualTo(KEY.label().toString());
        assertThat(payload.get("project_id").asText()).isEqualTo("p1");
        assertThat(payload.get("tenant_id").asText()).isEqualTo("p1");
    }

    @Test
    void granular_rows_are_label_router_notifications_named_as_neutron_names_them() throws IOException {
        MeteringLabel shared = new MeteringLabel(KEY.label(), new ProjectId("admin"), "internet", "", true);

        JsonNode known = payload(new L3MeterNotifications(true).of(REPORT, Map.of(KEY.label(), shared), T0));
        JsonNode gone = payload(new L3MeterNotifications(true).of(REPORT, Map.of(), T0));

        assertThat(only(new L3MeterNotifications(true).of(REPORT, Map.of(), T0)).eventType())
                .isEqualTo("l3.meter.label_router");
        assertThat(known.get("resource_id").asText())
                .isEqualTo("router-%s-label-%s".formatted(KEY.router(), KEY.label()));
        assertThat(known.get("label_name").asText()).isEqualTo("internet");
        assertThat(known.get("label_shared").asBoolean()).isTrue();
        assertThat(known.get("router_id").asText()).isEqualTo(KEY.router().toString());
        assertThat(gone.get("label_name").asText()).as("Neutron's name for a label it does not know")
                .isEqualTo(KEY.label().toString());
        assertThat(gone.get("label_shared").isNull()).isTrue();
        assertThat(gone.has("router_id")).isFalse();
        assertThat(gone.get("tenant_id").asText()).isEqualTo("p1");
    }

    @Test
    void the_envelope_is_oslo_messagings_version_2_with_the_message_as_a_string() throws IOException {
        Notification notification = only(new L3MeterNotifications(false).of(REPORT, Map.of(), T0));

        JsonNode envelope = JSON.readTree(RabbitBus.envelope(notification));

        assertThat(fields(envelope)).containsExactly("oslo.version", "oslo.message");
        assertThat(envelope.get("oslo.version").asText()).isEqualTo("2.0");
        assertThat(envelope.get("oslo.message").isTextual()).isTrue();
        assertThat(JSON.readTree(envelope.get("oslo.message").asText()))
                .isEqualTo(JSON.readTree(notification.message()));
        assertThat(L3MeterNotifications.osloTime(T0)).as("Python prints no fraction of a whole second")
                .isEqualTo("2026-11-23 20:00:00");
    }

    private static JsonNode payload(List<Notification> notifications) throws IOException {
        return JSON.readTree(only(notifications).message()).get("payload");
    }

    private static Notification only(List<Notification> notifications) {
        assertThat(notifications).hasSize(1);
        return notifications.getFirst();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
