package dev.netmeter.domain.error;

/** The request contradicts the current state. Answered with HTTP 409. */
public abstract non-sealed class ConflictException extends MeteringException {
    protected ConflictException(String type, String message) {
        super(type, message);
    }

    protected ConflictException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
