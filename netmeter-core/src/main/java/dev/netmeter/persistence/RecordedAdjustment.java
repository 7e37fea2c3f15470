package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;
import java.util.UUID;

/**
 * An adjustment as a report records it: the report's usage of one label and direction in a closed period.
 *
 * @param shownOn the period whose statement shows it: the first one after the adjustment's that was open
 */
public record RecordedAdjustment(UUID reportId, ProjectId project, Adjustment adjustment, YearMonth shownOn,
                                 Instant recordedAt) {
    public RecordedAdjustment {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(adjustment, "adjustment");
        Objects.requireNonNull(shownOn, "shownOn");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (!shownOn.isAfter(adjustment.period())) {
            throw new IllegalArgumentException("an adjustment is shown on a later period: " + this);
        }
    }
}
