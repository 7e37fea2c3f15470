package dev.netmeter.domain.error;

/** The request body is larger than the server accepts. Answered with HTTP 413. */
public abstract non-sealed class PayloadTooLargeException extends MeteringException {
    protected PayloadTooLargeException(String type, String message) {
        super(type, message);
    }

    protected PayloadTooLargeException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
