package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenStack command-line client (python3-openstackclient), run as a process with no OS_*
 * variables, no proxy and an empty HOME, so that only the flags a test gives count. Not thread-safe.
 */
final class OpenStackCli {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path program;
    private final Path workDir;

    /** @throws org.opentest4j.TestAbortedException if the CLI is missing (outside CI) */
    OpenStackCli(Path workDir) {
        this.program = ExternalTool.require("openstack", "python3-openstackclient");
        this.workDir = workDir;
    }

    /** One exit of the CLI: its status and what it printed on stdout and stderr. */
    record Run(int exit, String stdout, String stderr) {
        JsonNode json() {
            try {
                return ApiClient.JSON.readTree(stdout);
            } catch (JsonProcessingException e) {
                throw new AssertionError("the CLI did not print JSON: " + this, e);
            }
        }
    }

    /** Runs {@code openstack <flags> <command>} and asserts that it exits 0. */
    Run ok(List<String> flags, String... command) throws Exception {
        Run run = run(flags, command);
        assertThat(run.exit()).as("openstack %s: %s", String.join(" ", command), run).isZero();
        return run;
    }

    /** Runs {@code openstack <flags> <command>}. */
    Run run(List<String> flags, String... command) throws Exception {
        Path home = Files.createDirectories(workDir.resolve("home"));
        Path out = workDir.resolve("stdout");
        Path err = workDir.resolve("stderr");
        List<String> line = new ArrayList<>(List.of(program.toString()));
        line.addAll(flags);
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("OS_") || name.startsWith("XDG_")
                || name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        environment.put("HOME", home.toString());
        environment.put("NO_PROXY", "127.0.0.1,localhost");
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("%s did not finish in %d s".formatted(line, TIMEOUT_SECONDS));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
