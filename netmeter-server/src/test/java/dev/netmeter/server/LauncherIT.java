package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's view: {@code ./netmeter server --listen … --data-dir … --auth noauth} starts, serves,
 * keeps its data across restarts, logs JSON with request ids, and stops cleanly on SIGTERM.
 */
class LauncherIT {
    private static final Path LAUNCHER = LaunchedServer.LAUNCHER;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void the_launcher_serves_keeps_data_across_restarts_and_stops_on_sigterm() throws Exception {
        int port = freePort();
        Path data = dir.resolve("data");
        Path log = dir.resolve("server.log");

        Process first = launch(port, data, log);
        String label = new AdminHttp(port).createLabel("persisted");
        stop(first);

        assertThat(data.resolve("netmeter.mv.db")).exists();
        List<JsonNode> lines = jsonLines(log);
        assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText())
                .contains("listening on"));
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("loggerName").asText()).isEqualTo("netmeter.access");
            assertThat(line.path("mdc").path("request_id").asText()).startsWith("req-");
        });
        assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText()).isEqualTo("stopped"));

        Process second = launch(port, data, dir.resolve("second.log"));
        AdminHttp.Answer shown = new AdminHttp(port).get("/v2.0/metering/metering-labels/" + label);
        stop(second);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body().path("metering_label").path("name").asText()).isEqualTo("persisted");
    }

    @Test
    void noauth_beyond_loopback_is_refused_with_a_clear_message() throws Exception {
        Process process = new ProcessBuilder(LAUNCHER.toString(), "server", "--listen", "0.0.0.0:" + freePort(),
                "--data-dir", dir.toString(), "--auth", "noauth").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("configuration error").contains("loopback");
    }

    private static Process launch(int port, Path data, Path log) throws Exception {
        return LaunchedServer.start(port, data, Map.of("NETMETER_LOG_FORMAT", "json"), log, null, "--auth", "noauth")
                .process();
    }

    /** SIGTERM, then waits for a clean exit. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();    // SIGTERM: the shutdown hook drains requests and closes the database
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isIn(0, 143);
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
    }

    /**
     * A port free now, for a child process to listen on a moment later. Taken below the kernel's ephemeral
     * range, so that no outgoing connection (the test polls the child meanwhile) can take it in between.
     */
    static int freePort() throws IOException {
        // readAllLines, not readString: a /proc file's size is 0, and readString then reads one byte
        int ephemeralFloor = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0).trim().split("\\s+")[0]);
        if (ephemeralFloor <= 10_001) {     // a host whose ephemeral range has no room below it
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, ephemeralFloor);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (BindException taken) {
                // try another
            }
        }
        throw new IOException("no free port between 10000 and " + ephemeralFloor);
    }
}
