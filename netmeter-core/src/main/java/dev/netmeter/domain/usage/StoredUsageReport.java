package dev.netmeter.domain.usage;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What the server keeps of a report besides its rows: the answer to the agent that sent it, and the hash
 * that tells a resent report from a different one under the same id. Immutable.
 */
public record StoredUsageReport(UUID id, String host, Instant windowStart, Instant windowEnd, int rows,
                                String contentSha256) {
    public StoredUsageReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(contentSha256, "contentSha256");
    }

    /** The header of {@code report} as it will be stored. */
    public static StoredUsageReport of(NewUsageReport report) {
        return of(report, report.contentSha256());
    }

    /** The header of {@code report} with its content hash computed already ({@code ""}: not yet). */
    public static StoredUsageReport of(NewUsageReport report, String contentSha256) {
        UsageReport window = report.report();
        return new StoredUsageReport(window.id(), report.host(), window.windowStart(), window.windowEnd(),
                report.rows(), contentSha256);
    }
}
