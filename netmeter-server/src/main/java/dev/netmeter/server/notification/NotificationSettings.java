package dev.netmeter.server.notification;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how usage notifications are published ({@code notifications.*}). Immutable.
 *
 * @param transportUrl the broker; empty: no notifications (nothing is written to the outbox)
 * @param topics oslo.messaging's notification topics: each notification goes to {@code <topic>.info}
 * @param exchange the topic exchange, {@code neutron} as Neutron's notifications use
 * @param granular Neutron's {@code granular_traffic_data}: {@code l3.meter.label_router} per row instead of
 *     {@code l3.meter}
 * @param durable oslo.messaging's {@code amqp_durable_queues}: the exchange and queues are declared durable
 *     (they must be declared as every other client of the broker declares them)
 */
public record NotificationSettings(Optional<TransportUrl> transportUrl, List<String> topics, String exchange,
                                   boolean granular, boolean durable) {
    /** No notifications. */
    public static final NotificationSettings OFF =
            new NotificationSettings(Optional.empty(), List.of("notifications"), "neutron", false, false);

    public NotificationSettings {
        Objects.requireNonNull(transportUrl, "transportUrl");
        topics = List.copyOf(topics);
        Objects.requireNonNull(exchange, "exchange");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("no topic");
        }
    }

    /** Whether notifications are published. */
    public boolean enabled() {
        return transportUrl.isPresent();
    }
}
