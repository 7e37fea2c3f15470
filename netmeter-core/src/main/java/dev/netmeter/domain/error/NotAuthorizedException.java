package dev.netmeter.domain.error;

/** The caller is known but the policy forbids the action. Answered with HTTP 403. */
public abstract non-sealed class NotAuthorizedException extends MeteringException {
    protected NotAuthorizedException(String type, String message) {
        super(type, message);
    }

    protected NotAuthorizedException(String type, String message, Throwable cause) {
        super(type, message, cause);
    }
}
