package dev.netmeter.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code netmeter server}: runs the API server until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the metering API server.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--listen", description = "host:port to listen on (server.listen).")
    private String listen;

    @Option(names = "--auth", description = "Authentication strategy (server.auth): token, keystone or noauth.")
    private String auth;

    @Option(names = "--database-url", description = "JDBC URL (database.url).")
    private String databaseUrl;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        NetmeterServer server;
        Logger log;
        long started = System.nanoTime();
        try {
            config = configOptions.load(overrides());
            Logging.configure(config.logFormat(), config.logLevel());
            log = LoggerFactory.getLogger(ServerCommand.class);
            createDataDir(config.dataDir());
            if (config.auth().strategy() == AuthSettings.Strategy.TOKEN) {
                FirstAdminToken.createIfNoTokenFile(config.auth().tokenFile(), config.dataDir(), System.err);
            }
            server = NetmeterServer.start(config);
        } catch (ConfigException e) {
            System.err.println("netmeter: configuration error: " + e.getMessage());
            return 2;
        }
        log.info("netmeter listening on http://{}:{} (auth={}, database={}) in {} ms", config.host(), server.port(),
                config.auth().strategy().name().toLowerCase(Locale.ROOT), config.database(),
                (System.nanoTime() - started) / 1_000_000);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: finishing requests in flight (at most {})", config.shutdownGrace());
            server.close();
            log.info("stopped");
            stopped.countDown();
        }, "netmeter-shutdown"));
        stopped.await();
        return 0;
    }

    private Map<Setting, String> overrides() {
        Map<Setting, String> overrides = new EnumMap<>(Setting.class);
        if (listen != null) {
            overrides.put(Setting.SERVER_LISTEN, listen);
        }
        if (auth != null) {
            overrides.put(Setting.SERVER_AUTH, auth);
        }
        if (databaseUrl != null) {
            overrides.put(Setting.DATABASE_URL, databaseUrl);
        }
        return overrides;
    }

    private static void createDataDir(Path dataDir) throws java.io.IOException {
        if (!Files.isDirectory(dataDir)) {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
