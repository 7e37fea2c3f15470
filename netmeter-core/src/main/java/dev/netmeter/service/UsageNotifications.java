package dev.netmeter.service;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a stored usage report is told as: the notifications that {@link UsageService} writes to the outbox in
 * the transaction that stores the report. Implementations are thread-safe and do no I/O.
 */
public interface UsageNotifications {
    /** No notifications: the outbox stays empty. */
    UsageNotifications NONE = new UsageNotifications() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean needsLabels() {
            return false;
        }

        @Override
        public List<Notification> of(NewUsageReport report, Map<LabelId, MeteringLabel> labels, Instant storedAt) {
            return List.of();
        }
    };

    /** Whether any notification is written. */
    boolean enabled();

    /** Whether {@link #of} needs the labels the report names (their name and sharing). */
    boolean needsLabels();

    /**
     * The notifications of {@code report}, one per usage row.
     *
     * @param labels the labels named by the report that still exist, if {@link #needsLabels}; else empty
     * @param storedAt when the report was stored
     */
    List<Notification> of(NewUsageReport report, Map<LabelId, MeteringLabel> labels, Instant storedAt);
}
