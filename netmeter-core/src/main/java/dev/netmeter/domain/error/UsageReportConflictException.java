package dev.netmeter.domain.error;

import java.util.UUID;

/**
 * A usage report was already received under this id with other content (host, window or rows). Ours: Neutron
 * has no usage reports. The first report stands; an agent that means a new window needs a new id.
 */
public final class UsageReportConflictException extends ConflictException {
    public UsageReportConflictException(UUID id) {
        super("UsageReportConflict",
                "Usage report %s was already received with different content.".formatted(id));
    }
}
