package dev.netmeter.server.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.netmeter.domain.usage.Notification;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RabbitMQ as oslo.messaging's rabbit driver uses it for notifications (impl_rabbit.py, {@code notify_send}):
 * a topic exchange ({@code neutron}), and for each topic a queue named by its routing key
 * {@code <topic>.info}, declared by the publisher so that nothing is lost before a consumer binds it; each
 * message a JSON body in the v2 envelope ({@code oslo.version} 2.0, {@code oslo.message} the notification as a
 * string). Publisher confirms: {@link #publish} returns once RabbitMQ has the messages. Not thread-safe.
 */
final class RabbitBus implements NotificationBus {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitBus.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    private static final int PERSISTENT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationSettings settings;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final List<Address> addresses;
    private Connection connection;
    private Channel channel;

    RabbitBus(NotificationSettings settings) {
        this.settings = settings;
        TransportUrl url = settings.transportUrl().orElseThrow();
        TransportUrl.Host first = url.hosts().getFirst();
        factory.setUsername(first.user());
        factory.setPassword(first.password());
        factory.setVirtualHost(url.virtualHost());
        factory.setConnectionTimeout((int) CONNECT_TIMEOUT.toMillis());
        factory.setAutomaticRecoveryEnabled(false);     // the publisher reconnects, and re-reads the outbox
        factory.setTopologyRecoveryEnabled(false);
        addresses = url.hosts().stream().map(host -> new Address(host.host(), host.port())).toList();
    }

    @Override
    public void publish(List<Notification> notifications) throws IOException {
        try {
            Channel open = channel();
            for (String topic : settings.topics()) {
                for (Notification notification : notifications) {
                    open.basicPublish(settings.exchange(), routingKey(topic), false, properties(notification),
                            envelope(notification));
                }
            }
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
        } catch (IOException | TimeoutException | RuntimeException e) {
            close();    // a channel that failed is closed by the broker; start again on a new connection
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while waiting for confirms", e);
        }
    }

    /** oslo.messaging's routing key of a notification of priority info: {@code <topic>.info}. */
    static String routingKey(String topic) {
        return topic + ".info";
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        close();
        connection = factory.newConnection(addresses, "netmeter-notifications");
        channel = connection.createChannel();
        channel.confirmSelect();
        // As oslo.messaging declares them (durable per amqp_durable_queues, never auto-deleted): a declaration
        // that differs from the broker's is refused (PRECONDITION_FAILED), so they must match other clients'.
        channel.exchangeDeclare(settings.exchange(), "topic", settings.durable(), false, null);
        for (String topic : settings.topics()) {
            String queue = routingKey(topic);
            channel.queueDeclare(queue, settings.durable(), false, false, null);
            channel.queueBind(queue, settings.exchange(), queue);
        }
        LOG.info("notifications: connected to {} (exchange {}, topics {})", connection.getAddress(),
                settings.exchange(), settings.topics());
        return channel;
    }

    private static AMQP.BasicProperties properties(Notification notification) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(PERSISTENT)
                .messageId(notification.messageId().toString())
                .build();
    }

    /** oslo.messaging's v2 envelope (_drivers/common.py, {@code serialize_msg}). */
    static byte[] envelope(Notification notification) {
        Map<String, String> envelope = new LinkedHashMap<>();
        envelope.put("oslo.version", "2.0");
        envelope.put("oslo.message", notification.message());
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings are always JSON", e);
        }
    }

    @Override
    public void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close((int) CONNECT_TIMEOUT.toMillis());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("notifications: closing the connection failed: {}", e.getMessage());
        } finally {
            connection = null;
            channel = null;
        }
    }
}
