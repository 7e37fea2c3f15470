package dev.netmeter.domain.error;

/** No rule with this id is visible to the caller (neutron-lib exceptions/metering.py). */
public final class MeteringLabelRuleNotFoundException extends NotFoundException {
    public MeteringLabelRuleNotFoundException(String id) {
        super("MeteringLabelRuleNotFound", "Metering label rule '%s' does not exist.".formatted(id));
    }
}
