package dev.netmeter.domain.usage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * One notification about stored usage, ready to publish: oslo.messaging's notification (message id, event type,
 * priority, publisher, timestamp, payload) as JSON, which the bus wraps in its envelope. Immutable.
 *
 * @param messageId the notification's {@code message_id}: the same for the same usage row, however often it is
 *     published, so that a consumer can drop a duplicate
 * @param eventType e.g. {@code l3.meter}
 * @param message the notification as a JSON object
 */
public record Notification(UUID messageId, String eventType, String message) {
    public Notification {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The message id of the notification about row {@code key} of report {@code reportId}: a name-based UUID,
     * so that the same stored row always gets the same id (a report is stored once under its id, with each
     * (router, label) once).
     */
    public static UUID messageId(UUID reportId, UsageKey key) {
        return UUID.nameUUIDFromBytes("netmeter l3.meter %s %s %s".formatted(reportId, key.router(), key.label())
                .getBytes(StandardCharsets.UTF_8));
    }
}
