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
     * @return how the server acknowledged it: 201 or 200, nothing else, each meaning that the report is in the
     *     server's database, written before the answer (docs/api.md); only then may the agent forget it
     * @throws ReportRejectedException if the server refuses the report itself (sending it again cannot help)
     * @throws CredentialsRefusedException if the server refuses the agent's token
     * @throws IOException if the server cannot be reached, fails, or answers anything else, even another 2xx
     *     such as 202 or 204 (it may not have stored the report): sending it again later may help
     */
    Acknowledgement submit(UsageReport report) throws IOException, InterruptedException;

    /** The server's acknowledgement of a report: it holds the report from now on, through a crash. */
    enum Acknowledgement {
        /** 201: stored by this sending. */
        STORED("201 stored"),
        /** 200: stored by an earlier sending whose answer was lost; nothing was added. */
        ALREADY_STORED("200 already stored");

        private final String description;

        Acknowledgement(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /**
     * The server refused the report itself (400 or 409 with the server's own NeutronError body): sending it again
     * cannot help. A 413, or a 400 without a NeutronError body, comes from a proxy in front and is retried.
     */
    final class ReportRejectedException extends IOException {
        private static final long serialVersionUID = 1L;

        public ReportRejectedException(String message) {
            super(message);
        }
    }

    /**
     * The server refused the agent's credentials (401 or 403): nothing the agent sends is taken until the
     * operator gives it a valid token with the {@code agent} role.
     */
    final class CredentialsRefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        public CredentialsRefusedException(String message) {
            super(message);
        }
    }
}
