package dev.netmeter.domain.error;

/** The resource does not exist, or the caller may not know that it does. Answered with HTTP 404. */
public abstract non-sealed class NotFoundException extends MeteringException {
    protected NotFoundException(String type, String message) {
        super(type, message);
    }

    protected NotFoundException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
