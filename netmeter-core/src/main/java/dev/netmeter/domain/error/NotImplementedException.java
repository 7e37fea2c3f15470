package dev.netmeter.domain.error;

/** The operation exists in the API but is not supported. Answered with HTTP 501. */
public abstract non-sealed class NotImplementedException extends MeteringException {
    protected NotImplementedException(String type, String message) {
        super(type, message);
    }

    protected NotImplementedException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
