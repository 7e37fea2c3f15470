package dev.netmeter.domain.error;

/** The request is invalid in a way Neutron reports as webob's HTTPBadRequest (unknown attribute, bad filter, …). */
public final class InvalidRequestException extends BadRequestException {
    public InvalidRequestException(String message) {
        super("HTTPBadRequest", message);
    }
}
