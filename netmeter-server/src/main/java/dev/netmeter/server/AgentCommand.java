package dev.netmeter.server;

import dev.netmeter.agent.MeteringAgent;
import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.nftables.NftablesDriver;
import dev.netmeter.agent.server.HttpServerClient;
import dev.netmeter.agent.usage.LedgerFile;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code netmeter agent}: meters the routers of one host until SIGTERM or SIGINT. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the metering agent of a router host: program nftables, read counters, report usage.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--data-dir", description = "The agent's own directory (agent.data_dir, default ./agent-data), "
            + "apart from the server's: it holds the usage ledger (ledger.json: usage not yet acknowledged by the "
            + "server, and the counter totals last read), which a restart goes on from. Keep it on local disk.")
    private String dataDir;

    @Option(names = "--server-url", description = "The server's base URL (agent.server_url).")
    private String serverUrl;

    @Option(names = "--host", description = "The host whose routers to meter (agent.host).")
    private String host;

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            config = configOptions.loadAgent(overrides());
        } catch (ConfigException e) {
            System.err.println("netmeter: configuration error: " + e.getMessage());
            return 2;
        }
        Logging.configure(config.logFormat(), config.logLevel());
        Logger log = LoggerFactory.getLogger(AgentCommand.class);
        MeteringAgent agent;
        try {
            OwnerOnlyDirectory.ensure(config.ledgerFile().toAbsolutePath().getParent());
            agent = new MeteringAgent(config.agent(), new HttpServerClient(config.server(), config.token(),
                    config.agent().host()), driver(config), new LedgerFile(config.ledgerFile()), Clock.systemUTC());
        } catch (IOException e) {
            log.error("cannot start: {}", e.getMessage());
            return 1;
        }
        log.info("netmeter agent: {}", config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: reading the counters a last time");
            agent.close();
            log.info("stopped");
            stopped.countDown();
        }, "netmeter-agent-shutdown"));
        agent.start();
        stopped.await();
        return 0;
    }

    private static DataPlaneDriver driver(AgentConfig config) {
        return switch (config.driver()) {
            case "nftables" -> new NftablesDriver(new ProcessCommandRunner());
            default -> throw new IllegalStateException("no driver " + config.driver());
        };
    }

    private Map<Setting, String> overrides() {
        Map<Setting, String> overrides = new EnumMap<>(Setting.class);
        if (dataDir != null) {
            overrides.put(Setting.AGENT_DATA_DIR, dataDir);
        }
        if (serverUrl != null) {
            overrides.put(Setting.AGENT_SERVER_URL, serverUrl);
        }
        if (host != null) {
            overrides.put(Setting.AGENT_HOST, host);
        }
        return overrides;
    }
}
