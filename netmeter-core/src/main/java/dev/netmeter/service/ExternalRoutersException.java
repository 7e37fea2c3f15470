package dev.netmeter.service;

/**
 * An external router source could not be read completely (unreachable, an error status, an answer that is not
 * what it should be). Never reaches an API client: the follower logs it and keeps the routers it has.
 */
public final class ExternalRoutersException extends Exception {
    public ExternalRoutersException(String message) {
        super(message);
    }

    public ExternalRoutersException(String message, Throwable cause) {
        super(message, cause);
    }
}
