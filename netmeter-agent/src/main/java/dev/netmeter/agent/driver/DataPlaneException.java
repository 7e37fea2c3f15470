package dev.netmeter.agent.driver;

/**
 * The data plane could not be read or changed: a command failed or timed out, a namespace is missing.
 * Stays in the agent, which logs it and tries again on its next tick. Immutable.
 */
public final class DataPlaneException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataPlaneException(String message) {
        super(message);
    }

    public DataPlaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
