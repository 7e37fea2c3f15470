package dev.netmeter.agent.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link CommandRunner} over child processes. Output is read while the command runs, so it cannot block on a full pipe.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(5);

    @Override
    public Result run(List<String> command, String stdin, Duration timeout) throws DataPlaneException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new DataPlaneException("cannot run %s: %s".formatted(String.join(" ", command), e.getMessage()), e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        // Written on its own thread: a command that hangs without reading its input must not outlast the timeout.
        Thread.ofVirtual().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command exited (or was killed) before reading all of its input; its exit code says why
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DataPlaneException("%s did not finish within %s; killed".formatted(
                        String.join(" ", command), timeout));
            }
            // Output still open after the exit (a child of the command holding it) is not waited for long.
            return new Result(process.exitValue(), stdout.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS),
                    stderr.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new DataPlaneException("the output of %s did not end within %s of its exit".formatted(
                    String.join(" ", command), OUTPUT_GRACE), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataPlaneException("interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new DataPlaneException("cannot read the output of " + String.join(" ", command), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, task -> Thread.ofVirtual().start(task));
    }
}
