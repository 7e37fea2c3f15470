package dev.netmeter.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The option every command that reads the configuration takes: where the file is. (Each command names its own
 * {@code --data-dir}: the server's and the agent's are different directories.)
 */
final class ConfigOptions {
    @Option(names = "--config", description = "Configuration file (default: $NETMETER_CONFIG, else ./netmeter.conf "
            + "if it exists).")
    private Path configFile;

    /**
     * The configuration, with {@code overrides} from the command's own options on top.
     *
     * @throws ConfigException naming the setting at fault
     */
    ServerConfig load(Map<Setting, String> overrides) {
        return ConfigLoader.load(configFile(), System.getenv(), overrides);
    }

    /**
     * The agent's configuration, with {@code overrides} from the command's own options on top.
     *
     * @throws ConfigException naming the setting at fault
     */
    AgentConfig loadAgent(Map<Setting, String> overrides) {
        return ConfigLoader.loadAgent(configFile(), System.getenv(), overrides);
    }

    private Optional<Path> configFile() {
        if (configFile != null) {
            return Optional.of(configFile);
        }
        String fromEnvironment = System.getenv("NETMETER_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Optional.of(Path.of(fromEnvironment));
        }
        Path local = Path.of("netmeter.conf");
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }
}
