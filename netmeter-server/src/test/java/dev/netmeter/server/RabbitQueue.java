package dev.netmeter.server;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The local RabbitMQ (127.0.0.1:5672, guest/guest) as a test reads it: an exchange and a topic of their own
 * per test (so tests never see each other's messages), the queue {@code <topic>.info} declared as
 * oslo.messaging and netmeter declare it, and the messages that reach it. Without RabbitMQ the test is skipped,
 * or fails under CI ({@code .ci/run} starts it). {@link #close()} deletes the queue and exchange.
 */
final class RabbitQueue implements AutoCloseable {
    static final String URL = "rabbit://guest:guest@127.0.0.1:5672/";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One message as it arrived. */
    record Message(AMQP.BasicProperties properties, String body) {
    }

    private final String exchange;
    private final String topic;
    private final boolean durable;
    private Connection connection;
    private Channel channel;

    private RabbitQueue(String exchange, String topic, boolean durable) {
        this.exchange = exchange;
        this.topic = topic;
        this.durable = durable;
    }

    /** A new exchange and topic, with the queue declared (durable or not, as the publisher will declare it). */
    static RabbitQueue create(boolean durable) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String suffix = HexFormat.of().formatHex(random);
        RabbitQueue queue = new RabbitQueue("nm-test-" + suffix, "nmtest" + suffix, durable);
        queue.connect();
        return queue;
    }

    String exchange() {
        return exchange;
    }

    String topic() {
        return topic;
    }

    String queue() {
        return topic + ".info";
    }

    /** Connects (again, after an outage) and declares the exchange, queue and binding. */
    void connect() {
        try {
            closeConnection();
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(5672);
            factory.setConnectionTimeout(5000);
            factory.setAutomaticRecoveryEnabled(false);
            connection = factory.newConnection("netmeter-test");
            channel = connection.createChannel();
            channel.exchangeDeclare(exchange, "topic", durable, false, null);
            channel.queueDeclare(queue(), durable, false, false, null);
            channel.queueBind(queue(), exchange, queue());
        } catch (IOException | TimeoutException e) {
            unreachable(e);
        }
    }

    /** Waits up to {@code timeout} for a consumer on the queue; whether one came. */
    boolean awaitConsumer(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (channel.consumerCount(queue()) > 0) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Waits up to {@code timeout} for {@code count} messages and returns those that came (maybe fewer). */
    List<Message> receive(int count, Duration timeout) {
        List<Message> messages = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (messages.size() < count && Instant.now().isBefore(deadline)) {
                GetResponse response = channel.basicGet(queue(), true);
                if (response == null) {
                    Thread.sleep(50);
                } else {
                    messages.add(new Message(response.getProps(),
                            new String(response.getBody(), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return messages;
    }

    @Override
    public void close() {
        try {
            if (channel != null && channel.isOpen()) {
                // oslo.messaging's listeners (Ceilometer's) declare a queue for every priority of the topic.
                for (String priority : List.of("audit", "debug", "info", "warn", "error", "critical", "sample")) {
                    channel.queueDelete(topic + "." + priority);
                }
                channel.exchangeDelete(exchange);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeConnection();
        }
    }

    private void closeConnection() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close();
            }
        } catch (IOException e) {
            // already gone
        }
        connection = null;
        channel = null;
    }

    /** Skips the test, or fails it under CI. */
    private static void unreachable(Exception cause) {
        String message = "RabbitMQ is not reachable at 127.0.0.1:5672 (guest/guest): " + cause
                + "; start it (service rabbitmq-server start). Its tests are skipped, and fail when CI is set.";
        String ci = Optional.ofNullable(System.getenv("CI")).orElse("").trim().toLowerCase(Locale.ROOT);
        if (!ci.isEmpty() && !ci.equals("false") && !ci.equals("0")) {
            throw new AssertionFailedError(message, cause);
        }
        throw new TestAbortedException(message);
    }
}
