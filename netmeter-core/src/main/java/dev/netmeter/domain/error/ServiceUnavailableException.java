package dev.netmeter.domain.error;

/** A dependency of the server is down; the request may be retried. Answered with HTTP 503. */
public abstract non-sealed class ServiceUnavailableException extends MeteringException {
    protected ServiceUnavailableException(String type, String message) {
        super(type, message);
    }

    protected ServiceUnavailableException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
