package dev.netmeter.domain.error;

/**
 * The identity service could not be asked whether a token is valid (unreachable, timed out, or it
 * answered with an error). The request is refused, never let through unauthenticated. Why is in the
 * server's log, not in the answer.
 */
public final class IdentityServiceUnavailableException extends ServiceUnavailableException {
    public IdentityServiceUnavailableException() {
        super("ServiceUnavailable", "The identity service is unavailable, so the token cannot be validated; "
                + "please retry the request later.");
    }
}
