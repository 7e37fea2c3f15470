package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.persistence.jdbi.TestDatabase;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** A shutdown lets requests in flight finish, refuses new connections, and does not hang. */
class GracefulShutdownTest {

    @RepeatedTest(5) // the stop races the response write; one green run proves little
    void a_request_in_flight_when_shutdown_begins_completes_and_new_connections_are_refused() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.H2)) {
            NetmeterServer server = NetmeterServer.start(TestServers.config(db.settings(), Duration.ofSeconds(30)));
            int port = server.port();
            AdminHttp http = new AdminHttp(port);
            String label = http.createLabel("busy");

            try (LabelRowLock lock = LabelRowLock.hold(db.settings(), label)) {
                // The rule create waits for the label's row lock, which the test holds: it is in flight.
                CompletableFuture<AdminHttp.Answer> inFlight = CompletableFuture.supplyAsync(() -> http.post(
                        "/v2.0/metering/metering-label-rules", ("{\"metering_label_rule\": {\"metering_label_id\": "
                                + "\"%s\", \"direction\": \"ingress\", \"remote_ip_prefix\": \"10.0.0.0/24\"}}")
                                .formatted(label)));
                lock.awaitWaiter(Duration.ofSeconds(20));
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
                Thread.sleep(500);

                assertThat(inFlight).isNotDone();
                assertThat(stopping).isNotDone();
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 1000))
                        .isInstanceOf(ConnectException.class);

                lock.release();
                assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
                stopping.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
