package dev.netmeter.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Many agents' long polls on one selector thread: each is a kept-alive connection with one request sent,
 * as an agent's HTTP client keeps it, and its answer is read as it arrives. Agents run on other machines in
 * production; here they share the server's two cores, so they must cost as little as possible or the
 * figure would be theirs. Not thread-safe.
 */
final class WaitingAgents implements AutoCloseable {
    private final Selector selector = Selector.open();
    private final List<Agent> agents = new ArrayList<>();

    /** Connects one agent per target (a path with its query) and sends its request, with the {@code agent} role. */
    WaitingAgents(URI server, List<String> targets) throws IOException {
        InetSocketAddress address = new InetSocketAddress(server.getHost(), server.getPort());
        for (String target : targets) {
            SocketChannel channel = SocketChannel.open(address);
            channel.write(ByteBuffer.wrap(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nX-Roles: agent\r\n\r\n")
                    .formatted(target, server.getHost(), server.getPort()).getBytes(StandardCharsets.US_ASCII)));
            channel.configureBlocking(false);
            Agent agent = new Agent(channel);
            channel.register(selector, SelectionKey.OP_READ, agent);
            agents.add(agent);
        }
    }

    /** How many agents have their complete answer. */
    int answered() throws IOException {
        readAvailable(0);
        return (int) agents.stream().filter(agent -> agent.answeredAt != 0).count();
    }

    /**
     * Reads answers until every agent has one or {@code timeoutMillis} pass; returns, per agent, when its
     * answer was complete ({@link System#nanoTime}), or 0 if it never was.
     */
    long[] awaitAll(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (agents.stream().anyMatch(agent -> agent.answeredAt == 0) && System.nanoTime() < deadline) {
            readAvailable(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return agents.stream().mapToLong(agent -> agent.answeredAt).toArray();
    }

    /** How many answers are 200 with a body that {@code check} accepts. */
    long count(Predicate<String> check) {
        return agents.stream().filter(agent -> {
            String answer = agent.received.toString(StandardCharsets.UTF_8);
            return answer.startsWith("HTTP/1.1 200") && check.test(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }).count();     // a chunked body still holds its chunk sizes; the check looks for text inside it
    }

    private void readAvailable(long waitMillis) throws IOException {
        if ((waitMillis == 0 ? selector.selectNow() : selector.select(waitMillis)) == 0) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        for (SelectionKey key : selector.selectedKeys()) {
            Agent agent = (Agent) key.attachment();
            int read;
            while ((read = agent.channel.read(buffer.clear())) > 0) {
                agent.received.write(buffer.array(), 0, read);
            }
            if (read < 0 || agent.hasWholeAnswer()) {
                agent.answeredAt = System.nanoTime();
                key.cancel();
            }
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        for (Agent agent : agents) {
            agent.channel.close();
        }
        selector.close();
    }

    private static final class Agent {
        final SocketChannel channel;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        long answeredAt;

        Agent(SocketChannel channel) {
            this.channel = channel;
        }

        /** A 304 ends with its headers; a 200 sync answer is chunked and ends with the last, empty chunk. */
        boolean hasWholeAnswer() {
            String answer = received.toString(StandardCharsets.ISO_8859_1);
            int headersEnd = answer.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                return false;
            }
            if (!answer.startsWith("HTTP/1.1 200")) {
                return true;
            }
            String headers = answer.substring(0, headersEnd).toLowerCase(java.util.Locale.ROOT);
            int length = headers.indexOf("content-length:");
            if (length >= 0) {
                int end = headers.indexOf("\r\n", length);
                int expected = Integer.parseInt(headers.substring(length + 15, end < 0 ? headers.length() : end)
                        .trim());
                return answer.length() - headersEnd - 4 >= expected;
            }
            return answer.endsWith("\r\n0\r\n\r\n");
        }
    }
}
