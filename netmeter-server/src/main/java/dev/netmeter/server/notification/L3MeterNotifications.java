package dev.netmeter.server.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Notification;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.service.UsageNotifications;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Neutron's {@code l3.meter} notifications, one per stored usage row, as the metering agent builds them
 * (neutron/services/metering/agents/metering_agent.py, {@code _metering_notification} and
 * {@code create_notification_message_data}) and oslo.messaging's notifier wraps them (message_id, event_type,
 * priority, publisher_id {@code metering.<host>}, timestamp, payload). Thread-safe.
 *
 * <p>Two deliberate additions (docs/compat.md): {@code tenant_id}, equal to {@code project_id}, because
 * Ceilometer's default meter definition of {@code bandwidth} still reads {@code $.payload.tenant_id}; and a
 * {@code message_id} derived from the row instead of a random one, so that a notification published twice
 * (after a crash between publishing and bookkeeping) can be recognised.
 */
public final class L3MeterNotifications implements UsageNotifications {
    /** Neutron's granularity of a (router, label) counter (iptables_driver.py, "label_router"). */
    static final String ROUTER_LABEL = "label_router";
    /** oslo.utils' {@code str(timeutils.utcnow())}: a space between date and time, microseconds if any. */
    private static final DateTimeFormatter OSLO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter OSLO_WHOLE_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ObjectMapper json = new ObjectMapper();
    private final boolean granular;

    /** @param granular Neutron's {@code granular_traffic_data} */
    public L3MeterNotifications(boolean granular) {
        this.granular = granular;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean needsLabels() {
        return granular;    // label_name and label_shared
    }

    @Override
    public List<Notification> of(NewUsageReport report, Map<LabelId, MeteringLabel> labels, Instant storedAt) {
        String eventType = granular ? "l3.meter." + ROUTER_LABEL : "l3.meter";
        String timestamp = osloTime(storedAt);
        List<Notification> notifications = new ArrayList<>(report.rows());
        bothWays(report.report().usage()).forEach((key, usage) -> {
            var messageId = Notification.messageId(report.report().id(), key);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("message_id", messageId.toString());
            message.put("publisher_id", "metering." + report.host());
            message.put("event_type", eventType);
            message.put("priority", "INFO");
            message.put("payload", payload(report.host(), key, usage, labels));
            message.put("timestamp", timestamp);
            notifications.add(new Notification(messageId, eventType, write(message)));
        });
        return notifications;
    }

    /**
     * The rows summed over their directions: Neutron counts a label's two directions into one counter, so an
     * {@code l3.meter} notification is per (router, label), whatever the agent split. The message id of such a
     * sum is the direction-less key's, as before directions existed. In key order.
     */
    private static Map<UsageKey, Usage> bothWays(Map<UsageKey, Usage> rows) {
        Map<UsageKey, Usage> sums = new TreeMap<>(UsageKey.ROUTER_LABEL_ORDER);
        rows.forEach((key, usage) -> sums.merge(key.withoutDirection(), usage, Usage::plus));
        return sums;
    }

    private Map<String, Object> payload(String host, UsageKey key, Usage usage, Map<LabelId, MeteringLabel> labels) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pkts", usage.packets());
        data.put("bytes", usage.bytes());
        data.put("time", usage.seconds());
        data.put("first_update", usage.firstUpdate().getEpochSecond());
        data.put("last_update", usage.lastUpdate().getEpochSecond());
        data.put("host", host);
        String label = key.label().toString();
        if (granular) {
            // set_project_id_for_granular_traffic_data, for a key "router-<id>-label-<id>": a label Neutron no
            // longer knows is named by its id and its sharing is null.
            MeteringLabel known = labels.get(key.label());
            data.put("resource_id", "router-%s-label-%s".formatted(key.router(), label));
            data.put("label_id", label);
            data.put("label_name", known == null ? label : known.name());
            data.put("label_shared", known == null ? null : known.shared());
            if (known != null && known.shared()) {
                data.put("router_id", key.router().toString());
            }
        } else {
            data.put("label_id", label);
        }
        data.put("project_id", key.project().value());
        data.put("tenant_id", key.project().value());
        return data;
    }

    static String osloTime(Instant instant) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return (time.getNano() / 1000 == 0 ? OSLO_WHOLE_SECOND : OSLO_TIME).format(time);
    }

    private String write(Map<String, Object> message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }
}
