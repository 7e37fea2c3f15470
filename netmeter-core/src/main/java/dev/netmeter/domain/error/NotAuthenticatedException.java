package dev.netmeter.domain.error;

/** The request does not prove who sent it: no token, or one the identity service rejects. HTTP 401. */
public abstract non-sealed class NotAuthenticatedException extends MeteringException {
    protected NotAuthenticatedException(String type, String message) {
        super(type, message);
    }
}
