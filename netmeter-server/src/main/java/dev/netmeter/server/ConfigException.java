package dev.netmeter.server;

/** The configuration is invalid; the message says which setting and why. Immutable. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
