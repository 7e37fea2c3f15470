package dev.netmeter.domain.error;

/** The request is malformed or its values are invalid. Answered with HTTP 400. */
public abstract non-sealed class BadRequestException extends MeteringException {
    protected BadRequestException(String type, String message) {
        super(type, message);
    }

    protected BadRequestException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
