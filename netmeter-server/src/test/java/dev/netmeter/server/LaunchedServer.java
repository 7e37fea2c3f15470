package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code netmeter server} started by the launcher, as an operator starts it, until it answers. The launcher
 * ends in {@code exec java}, so the process is the server's JVM itself: {@link #kill} is a SIGKILL of the
 * server, not of a script that would leave it running.
 */
final class LaunchedServer {
    static final Path LAUNCHER = Path.of("..", "netmeter").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;

    private LaunchedServer(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code netmeter server --listen 127.0.0.1:PORT --data-dir DATA ARGUMENTS} with {@code environment}
     * added, its standard output to {@code log} and its standard error to {@code errors} (into the log if
     * null), and waits until it answers {@code GET /}.
     */
    static LaunchedServer start(int port, Path data, Map<String, String> environment, Path log, Path errors,
            String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "server", "--listen",
                "127.0.0.1:" + port, "--data-dir", data.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile());
        if (errors == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(errors.toFile());
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        Path told = errors == null ? log : errors;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!answers(port)) {
            assertThat(process.isAlive()).as("server exited: %s", Files.readString(told)).isTrue();
            assertThat(System.nanoTime()).as("server did not answer in time: %s", Files.readString(told))
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        return new LaunchedServer(process);
    }

    private static boolean answers(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then waits for a clean exit. */
    void stop() throws InterruptedException {
        LauncherIT.stop(process);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. Waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed").isTrue();
    }
}
