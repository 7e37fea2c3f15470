package dev.netmeter.agent.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.opentest4j.AssertionFailedError;

/**
 * A network namespace a test creates and deletes, with the commands run in it. Needs root, {@code ip} and
 * {@code nft}: without them the test is skipped with a message, except when {@code CI} is set (CI runs as
 * root and {@code .ci/run} installs nftables), where it fails. Not thread-safe.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final CommandRunner COMMANDS = new ProcessCommandRunner();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Creates a namespace named {@code nmt-<random>}. */
    public static NetworkNamespace create() {
        String name = "nmt-" + UUID.randomUUID().toString().substring(0, 8);
        CommandRunner.Result created = runOrUnavailable(List.of("ip", "netns", "add", name));
        if (!created.succeeded()) {
            RootRequired.unavailable("cannot create a network namespace (root is needed): " + created.stderr().strip());
        }
        NetworkNamespace namespace = new NetworkNamespace(name);
        if (!namespace.exec("nft", "--version").succeeded()) {
            namespace.close();
            RootRequired.unavailable("nft is not installed (apt-get install nftables)");
        }
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Runs {@code command} inside the namespace. */
    public CommandRunner.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full, "");
    }

    /**
     * Runs {@code command} inside the namespace with {@code stdin} as its input, failing the test unless it succeeds.
     */
    public String execWithInput(String stdin, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        CommandRunner.Result result = run(full, stdin);
        if (!result.succeeded()) {
            throw new AssertionFailedError("%s failed in %s: %s".formatted(String.join(" ", command), name,
                    result.stderr().strip()));
        }
        return result.stdout();
    }

    /** Runs {@code command} inside the namespace, failing the test unless it succeeds; returns its output. */
    public String execOrFail(String... command) {
        return execWithInput("", command);
    }

    @Override
    public void close() {
        run(List.of("ip", "netns", "del", name), "");
    }

    private static CommandRunner.Result runOrUnavailable(List<String> command) {
        try {
            return COMMANDS.run(command, "", TIMEOUT);
        } catch (DataPlaneException e) {
            RootRequired.unavailable(e.getMessage());
            throw new IllegalStateException("unreachable");
        }
    }

    private static CommandRunner.Result run(List<String> command, String stdin) {
        try {
            return COMMANDS.run(command, stdin, TIMEOUT);
        } catch (DataPlaneException e) {
            throw new AssertionFailedError(e.getMessage(), e);
        }
    }

}
