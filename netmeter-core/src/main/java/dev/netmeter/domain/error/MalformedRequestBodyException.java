package dev.netmeter.domain.error;

/** The body is not JSON. */
public final class MalformedRequestBodyException extends BadRequestException {
    public MalformedRequestBodyException(String reason) {
        super("MalformedRequestBody", "Malformed request body: %s".formatted(reason));
    }
}
