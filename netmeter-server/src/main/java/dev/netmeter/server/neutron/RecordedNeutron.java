package dev.netmeter.server.neutron;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Neutron that answers recorded answers over real HTTP on a loopback port: each GET of a path and
 * query gets the body recorded for it (404 if none), after {@code delay}. For the bench and for tests of cases a
 * Neutron without agents cannot show (L3 agents, HA, DVR). Thread-safe; answers may be changed while it serves.
 */
public final class RecordedNeutron implements AutoCloseable {
    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile Duration delay;

    private RecordedNeutron(Duration delay) throws IOException {
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    /** Starts one on a free loopback port, answering each request after {@code delay}. */
    public static RecordedNeutron start(Duration delay) {
        try {
            return new RecordedNeutron(delay);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its endpoint, as {@code neutron.url} names it. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Answers {@code GET pathAndQuery} (as sent, e.g. {@code /v2.0/agents?agent_type=L3%20agent}) with 200 and
     * {@code json}.
     */
    public RecordedNeutron answer(String pathAndQuery, String json) {
        return answer(pathAndQuery, 200, json);
    }

    /** Answers {@code GET pathAndQuery} with {@code status} and {@code json}. */
    public RecordedNeutron answer(String pathAndQuery, int status, String json) {
        answers.put(pathAndQuery, new Answer(status, json));
        return this;
    }

    /** Answers every request with {@code status} from now on (an outage); {@link #recover} ends it. */
    public void failWith(int status) {
        answers.put("*", new Answer(status,
                "{\"NeutronError\": {\"type\": \"Outage\", \"message\": \"\", \"detail\": \"\"}}"));
    }

    /** Ends what {@link #failWith} began. */
    public void recover() {
        answers.remove("*");
    }

    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Thread.sleep(delay);
            String key = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" 
                            : "?" + exchange.getRequestURI().getRawQuery());
            Answer answer = answers.getOrDefault("*", answers.getOrDefault(key,
                    new Answer(404, "{\"NeutronError\": {\"type\": \"HTTPNotFound\", \"message\": \"" + key + "\"}}")));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
