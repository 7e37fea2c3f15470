package dev.netmeter.domain.error;

/** The path exists but does not take this method. Answered with HTTP 405. */
public abstract non-sealed class MethodNotAllowedException extends MeteringException {
    protected MethodNotAllowedException(String type, String message) {
        super(type, message);
    }

    protected MethodNotAllowedException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
