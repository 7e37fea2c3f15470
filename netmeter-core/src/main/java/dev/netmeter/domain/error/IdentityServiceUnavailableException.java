package dev.netmeter.domain.error;

/**
 * The identity service could not be asked whether a token is valid (unreachable, timed out, or it
 * answered with an error). The request is refused, never let through unauthenticated.
 */
public final class IdentityServiceUnavailableException extends ServiceUnavailableException {
    public IdentityServiceUnavailableException(String reason) {
        super("ServiceUnavailable", "The identity service is unavailable (%s); please retry the request later."
                .formatted(reason));
    }
}
