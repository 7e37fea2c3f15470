package dev.netmeter.domain.error;

/** Another rule of the label with the same direction and excluded flag covers some of the same addresses. */
public final class MeteringLabelRuleOverlapsException extends ConflictException {
    public MeteringLabelRuleOverlapsException(String remoteIpPrefix) {
        super("MeteringLabelRuleOverlaps",
                "Metering label rule with remote_ip_prefix '%s' overlaps another.".formatted(remoteIpPrefix));
    }
}
