package dev.netmeter.domain.error;

/** The body exceeds the configured limit. */
public final class RequestTooLargeException extends PayloadTooLargeException {
    public RequestTooLargeException(long limitBytes) {
        super("HTTPRequestEntityTooLarge", "Request is too large: the limit is %d bytes.".formatted(limitBytes));
    }
}
