package dev.netmeter.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command that reads the configuration takes: where the file is, and the data directory. */
final class ConfigOptions {
    @Option(names = "--config", description = "Configuration file (default: $NETMETER_CONFIG, else ./netmeter.conf "
            + "if it exists).")
    private Path configFile;

    @Option(names = "--data-dir", description = "Data directory (server.data_dir).")
    private String dataDir;

    /**
     * The configuration, with {@code overrides} from the command's own options on top.
     *
     * @throws ConfigException naming the setting at fault
     */
    ServerConfig load(Map<Setting, String> overrides) {
        return ConfigLoader.load(configFile(), System.getenv(), withDataDir(overrides));
    }

    /**
     * The agent's configuration, with {@code overrides} from the command's own options on top.
     *
     * @throws ConfigException naming the setting at fault
     */
    AgentConfig loadAgent(Map<Setting, String> overrides) {
        return ConfigLoader.loadAgent(configFile(), System.getenv(), withDataDir(overrides));
    }

    private Map<Setting, String> withDataDir(Map<Setting, String> overrides) {
        Map<Setting, String> all = new EnumMap<>(Setting.class);
        if (dataDir != null) {
            all.put(Setting.SERVER_DATA_DIR, dataDir);
        }
        all.putAll(overrides);
        return all;
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
