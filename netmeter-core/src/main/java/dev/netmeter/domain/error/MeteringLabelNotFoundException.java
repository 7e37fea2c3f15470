package dev.netmeter.domain.error;

/** No label with this id is visible to the caller (neutron-lib exceptions/metering.py). */
public final class MeteringLabelNotFoundException extends NotFoundException {
    public MeteringLabelNotFoundException(String id) {
        super("MeteringLabelNotFound", "Metering label '%s' does not exist.".formatted(id));
    }
}
