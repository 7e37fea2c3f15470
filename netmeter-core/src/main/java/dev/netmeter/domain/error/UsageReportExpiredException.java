package dev.netmeter.domain.error;

import java.time.Instant;
import java.util.UUID;

/**
 * A usage report whose window ended before the usage retention horizon: it would be deleted at once, and a
 * report id is remembered only as long as its usage, so storing it could count a replay twice. Ours:
 * Neutron keeps no usage.
 */
public final class UsageReportExpiredException extends BadRequestException {
    public UsageReportExpiredException(UUID id, Instant windowEnd, Instant horizon) {
        super("UsageReportExpired", "Usage report %s ended at %s, before %s: usage older than that is not kept."
                .formatted(id, windowEnd, horizon));
    }
}
