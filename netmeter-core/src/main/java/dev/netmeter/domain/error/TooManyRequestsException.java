package dev.netmeter.domain.error;

import java.time.Duration;

/** The client sent too many requests of some kind; it may retry after {@link #retryAfter()}. HTTP 429. */
public abstract non-sealed class TooManyRequestsException extends MeteringException {
    private final Duration retryAfter;

    protected TooManyRequestsException(String type, String message, Duration retryAfter) {
        super(type, message);
        this.retryAfter = retryAfter;
    }

    /** How long the client should wait before retrying. */
    public final Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, rounded up (the {@code Retry-After} header): at least 1. */
    public final long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
