package dev.netmeter.server;

import dev.netmeter.api.identity.TokenFile;
import java.nio.file.Path;
import java.time.Instant;
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

    @Option(names = "--data-dir", description = "Data directory: the embedded database, the token file and the "
            + "first admin token (server.data_dir, default ./data).")
    private String dataDir;

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
            OwnerOnlyDirectory.ensure(config.dataDir());
            if (config.auth().strategy() == AuthSettings.Strategy.TOKEN) {
                Path tokenFile = config.auth().tokenFile();
                FirstAdminToken.createIfNoTokenFile(tokenFile, config.dataDir(), "this first start", System.err);
                warnIfNoAdmin(tokenFile, log);
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
        if (dataDir != null) {
            overrides.put(Setting.SERVER_DATA_DIR, dataDir);
        }
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


    private static void warnIfNoAdmin(Path tokenFile, Logger log) {
        try {
            FirstAdminToken.missingAdminWarning(tokenFile, TokenFile.read(tokenFile), Instant.now())
                    .ifPresent(log::warn);
        } catch (IllegalArgumentException broken) {
            // the token validator reports a broken file, and keeps the tokens it read last
        }
    }
}
