package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.StatementLine;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A period's statement as it was closed: stored once, never changed. Label names are those the labels had
 * when it closed (empty: deleted by then).
 *
 * @param contentSha256 the SHA-256 (hex) of the statement's canonical form, computed when it closed
 * @param lines in statement order
 * @param adjustments the late usage of earlier periods it shows, in statement order
 */
public record ClosedStatement(ProjectId project, BillingPeriod period, Instant closedAt, String contentSha256,
                              List<Named<StatementLine>> lines, List<Named<Adjustment>> adjustments) {
    public ClosedStatement {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(closedAt, "closedAt");
        Objects.requireNonNull(contentSha256, "contentSha256");
        lines = List.copyOf(lines);
        adjustments = List.copyOf(adjustments);
    }

    /**
     * An entry of a statement with its label's name.
     *
     * @param labelName empty if the label did not exist (any more)
     */
    public record Named<T>(T value, Optional<String> labelName) {
        public Named {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(labelName, "labelName");
        }
    }
}
