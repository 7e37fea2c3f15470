package dev.netmeter.domain.error;

/**
 * Root of every error a client may see. Each permitted subclass is one HTTP status; the API maps them
 * with an exhaustive {@code switch}, so a new category does not compile until it is given a status.
 * Anything that is not a {@code MeteringException} reaches the client as a 500 with a fixed message.
 * Immutable.
 */
public abstract sealed class MeteringException extends RuntimeException
        permits BadRequestException, NotAuthenticatedException, NotAuthorizedException, NotFoundException,
                MethodNotAllowedException, ConflictException, PayloadTooLargeException, TooManyRequestsException,
                NotImplementedException, ServiceUnavailableException {
    private final String type;

    protected MeteringException(String type, String message) {
        super(message);
        this.type = type;
    }

    protected MeteringException(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Neutron's name for this error, e.g. {@code MeteringLabelNotFound}. Part of the API contract. */
    public final String type() {
        return type;
    }
}
