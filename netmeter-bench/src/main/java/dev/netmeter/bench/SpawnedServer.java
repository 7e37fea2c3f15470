package dev.netmeter.bench;

import dev.netmeter.server.Main;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A server process started from the server's jar on a fresh embedded database, for the benchmark. */
final class SpawnedServer implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final String url;
    private final long startMillis;

    private SpawnedServer(Process process, Path dataDir, String url, long startMillis) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.startMillis = startMillis;
    }

    /**
     * Starts a server the way an operator does, {@code ./netmeter server …} (when run through the launcher,
     * which sets {@code NETMETER_HOME}), else {@code java -jar} on the server's jar, and waits until it answers
     * {@code GET /}.
     */
    static SpawnedServer start(int port) throws IOException, InterruptedException {
        return start(port, "noauth", Map.of());
    }

    /** Starts a server with authentication strategy {@code auth} and extra {@code environment} variables. */
    static SpawnedServer start(int port, String auth, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("netmeter-bench");
        String home = System.getenv("NETMETER_HOME");
        List<String> command = new ArrayList<>(home == null
                ? List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar())
                : List.of(Path.of(home, "netmeter").toString()));
        command.addAll(List.of("server", "--listen", "127.0.0.1:" + port,
                "--data-dir", dataDir.toString(), "--auth", auth));
        String url = "http://127.0.0.1:" + port;
        BenchClient probe = new BenchClient(url);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        while (!probe.answers()) {
            if (!process.isAlive() || System.nanoTime() - start > 60_000_000_000L) {
                process.destroyForcibly();
                throw new IOException("the server did not start; see " + dataDir.resolve("server.log"));
            }
            Thread.sleep(10);
        }
        return new SpawnedServer(process, dataDir, url, (System.nanoTime() - start) / 1_000_000);
    }

    /** The jar the server's classes came from: the bench's own jar holds no server. */
    private static String jar() {
        try {
            File location = new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!location.isFile()) {
                throw new IllegalStateException("bench without --url must run on the server's jar (./netmeter bench)");
            }
            return location.getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return url;
    }

    /** The server's data directory (its admin token, its log in server.log). */
    Path dataDir() {
        return dataDir;
    }

    long startMillis() {
        return startMillis;
    }

    /** CPU time the server process has used so far (user + system), from /proc, in nanoseconds. */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime (fields 14, 15)
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** USER_HZ: what /proc counts CPU time in (100 on every Linux this runs on). */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** The server's resident set size now, from /proc. */
    long residentMegabytes() throws IOException {
        return statusMegabytes("VmRSS:");
    }

    /** The most the server's resident set has been so far, from /proc. */
    long peakResidentMegabytes() throws IOException {
        return statusMegabytes("VmHWM:");
    }

    private long statusMegabytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        throw new IOException("no " + field + " for process " + process.pid());
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
