package dev.netmeter.agent;

import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports usage: closes the report window into a report (on disk first, by the {@link LedgerKeeper}) and sends
 * every report the server has not acknowledged, oldest first; an acknowledged or refused report leaves the
 * ledger. While the server cannot be reached, the window stays open. Used from the worker thread only.
 */
final class Reporter {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringAgent.class);

    private final ServerClient server;
    private final LedgerKeeper keeper;
    private final String host;
    private final Duration retryInterval;
    private boolean serverReachable = true;

    /** A reporter that says it retries every {@code retryInterval} (the worker's measure interval). */
    Reporter(ServerClient server, LedgerKeeper keeper, String host, Duration retryInterval) {
        this.server = server;
        this.keeper = keeper;
        this.host = host;
        this.retryInterval = retryInterval;
    }

    /**
     * Closes the report window into a report, and sends every report not yet acknowledged. While the server
     * cannot be reached, the window stays open instead.
     */
    void report() {
        if (!serverReachable) {
            sendReports();
            if (!serverReachable) {
                // The window stays open through the outage: one report for all of it, its rows no more than the
                // counters, rather than a report more in the ledger every interval.
                return;
            }
        }
        if (keeper.closeWindow()) {
            sendReports();
        }
    }

    /** Sends the reports not yet acknowledged, if any: after an outage, or left by the previous run. */
    void retry() {
        if (!keeper.unacknowledged().isEmpty()) {
            sendReports();
        }
    }

    private void sendReports() {
        for (UsageReport report : keeper.unacknowledged()) {
            try {
                ServerClient.Acknowledgement answer = server.submit(report);
                LOG.info("usage report {} acknowledged ({}): {}", report.id(), answer, summary(report));
            } catch (ServerClient.ReportRejectedException e) {
                LOG.error("the server refused usage report {} and it is dropped: {} ({}); its rows are logged at "
                        + "DEBUG", report.id(), summary(report), e.getMessage());
                LOG.debug("refused usage report {}: {}", report.id(), report);
            } catch (IOException e) {
                if (serverReachable) {
                    String why = e instanceof ServerClient.CredentialsRefusedException refused
                            ? credentialsRefused(refused, host) : e.getMessage();
                    LOG.warn("reporting usage failed ({}); {} report(s) kept in the ledger, retried every {} s",
                            why, keeper.unacknowledged().size(), retryInterval.toSeconds());
                }
                serverReachable = false;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            keeper.acknowledged(report.id());
        }
        if (!serverReachable) {
            LOG.info("reporting usage works again");
        }
        serverReachable = true;
    }

    /** A report in one line for the log: rows, packets, bytes and its window. */
    private static String summary(UsageReport report) {
        return "%d row(s), %d packet(s), %d byte(s) from %s to %s".formatted(report.usage().size(),
                report.usage().values().stream().mapToLong(Usage::packets).sum(),
                report.usage().values().stream().mapToLong(Usage::bytes).sum(), report.windowStart(),
                report.windowEnd());
    }

    /** What an operator of {@code host} reads when the server refuses its agent's token: what is wrong, the fix. */
    static String credentialsRefused(ServerClient.CredentialsRefusedException e, String host) {
        return ("the server refuses this agent's token (%s). Give the agent a valid token with the agent role: on "
                + "the server, 'netmeter token create --project services --user agent-%s --role agent' (with "
                + "Keystone, a token of a user holding the agent role), then restart the agent with it in "
                + "NETMETER_AGENT_TOKEN").formatted(e.getMessage(), host);
    }
}
