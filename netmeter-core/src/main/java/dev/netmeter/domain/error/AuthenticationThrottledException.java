package dev.netmeter.domain.error;

import java.time.Duration;

/** The client failed to authenticate too often; its requests are refused until its budget refills. */
public final class AuthenticationThrottledException extends TooManyRequestsException {
    public AuthenticationThrottledException(Duration retryAfter) {
        super("HTTPTooManyRequests", "Too many failed authentication attempts from this client; retry in %d s."
                .formatted(seconds(retryAfter)), retryAfter);
    }
}
