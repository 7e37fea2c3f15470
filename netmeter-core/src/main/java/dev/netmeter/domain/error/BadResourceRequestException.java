package dev.netmeter.domain.error;

/** A request parameter such as limit is invalid (neutron-lib's BadRequest). */
public final class BadResourceRequestException extends BadRequestException {
    public BadResourceRequestException(String resource, String message) {
        super("BadRequest", "Bad %s request: %s.".formatted(resource, message));
    }
}
