package dev.netmeter.server.notification;

import dev.netmeter.domain.usage.Notification;
import java.io.IOException;
import java.util.List;

/** Where notifications are published. Used by one thread at a time. */
interface NotificationBus extends AutoCloseable {
    /**
     * Publishes {@code notifications} and returns once the broker has confirmed every one of them.
     *
     * @throws IOException if the broker is away or refused one: some may have been published all the same
     */
    void publish(List<Notification> notifications) throws IOException;

    /** Disconnects; the next {@link #publish} connects again. */
    @Override
    void close();
}
