package dev.netmeter.server;

import dev.netmeter.agent.AgentSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@code netmeter agent} needs to start, already validated. Built by {@link ConfigLoader}.
 *
 * @param server the server's base URL
 * @param token the agent's API token
 * @param agent how the agent runs
 * @param driver the data plane driver's name
 * @param ledgerFile where usage not yet acknowledged is kept
 */
public record AgentConfig(URI server, String token, AgentSettings agent, String driver, Path ledgerFile,
                          String logFormat, String logLevel) {
    public AgentConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(ledgerFile, "ledgerFile");
    }

    /** Without the token, which must not reach a log. */
    @Override
    public String toString() {
        return "AgentConfig[server=%s, host=%s, driver=%s, measure=%s, report=%s, ledger=%s]".formatted(server,
                agent.host(), driver, agent.measureInterval(), agent.reportInterval(), ledgerFile);
    }
}
