package dev.netmeter.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scripts that run a throwaway real OpenStack service for tests ({@code scripts/keystone-test-server.sh},
 * {@code scripts/neutron-test-server.sh}): {@code start} prints {@code export NAME=value} lines, {@code stop DIR}
 * ends what {@code start} began.
 */
final class TestServerScript {
    private TestServerScript() {
    }

    /** Runs {@code start} (its stderr goes to the test's) and returns the variables it exported. */
    static Map<String, String> start(ProcessBuilder start, String service, Duration timeout)
            throws IOException, InterruptedException {
        Process process = start.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(service + " did not start: " + output);
        }
        Map<String, String> environment = new HashMap<>();
        output.lines().filter(line -> line.startsWith("export ")).forEach(line -> {
            String assignment = line.substring("export ".length());
            int equals = assignment.indexOf('=');
            environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        });
        return environment;
    }

    /** Runs {@code script stop directory}, waiting up to a minute. */
    static void stop(Path script, String directory) throws IOException {
        Process stop = new ProcessBuilder(script.toString(), "stop", directory).inheritIO().start();
        try {
            stop.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            stop.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
