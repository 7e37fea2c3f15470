package dev.netmeter.domain.error;

/**
 * No token, or one that is unknown, revoked, expired or not scoped to a project. The message is the one
 * keystonemiddleware answers with, and deliberately does not say which of these it was.
 */
public final class AuthenticationRequiredException extends NotAuthenticatedException {
    public AuthenticationRequiredException() {
        super("HTTPUnauthorized", "The request you have made requires authentication.");
    }
}
