package dev.netmeter.persistence;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.BillingPeriod;
import java.util.Objects;

/** A project's period whose statement is closed, without the statement. */
public record ClosedPeriod(ProjectId project, BillingPeriod period) {
    public ClosedPeriod {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(period, "period");
    }
}
