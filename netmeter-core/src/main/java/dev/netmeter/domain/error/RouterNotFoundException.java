package dev.netmeter.domain.error;

/** No router with this id is visible to the caller (neutron-lib exceptions/l3.py). */
public final class RouterNotFoundException extends NotFoundException {
    public RouterNotFoundException(String id) {
        super("RouterNotFound", "Router %s could not be found".formatted(id));
    }
}
