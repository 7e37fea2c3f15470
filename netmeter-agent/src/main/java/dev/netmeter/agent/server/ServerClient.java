package dev.netmeter.agent.server;

import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** The agent's view of the netmeter server. Thread-safe. */
public interface ServerClient {
    /**
     * The host's sync data: at once if {@code since} is empty; otherwise once it differs from revision
     * {@code since}, waiting up to {@code wait} (empty if nothing changed in that time).
     *
     * @throws IOException if the server cannot be reached or does not answer as expected
     */
    Optional<HostSync> sync(Optional<Long> since, Duration wait) throws IOException, InterruptedException;

    /**
     * Stores {@code report} in the server, which keeps it once however often it is sent.
     *
     * @throws ReportRejectedException if the server refuses the report itself (sending it again cannot help)
     * @throws IOException if the server cannot be reached or fails (sending it again later may help)
     */
    void submit(UsageReport report) throws IOException, InterruptedException;

    /** The server refused the report itself (400, 409 or 413): sending it again cannot help. */
    final class ReportRejectedException extends IOException {
        private static final long serialVersionUID = 1L;

        public ReportRejectedException(String message) {
            super(message);
        }
    }
}
