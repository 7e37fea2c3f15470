package dev.netmeter.domain.error;

/** The path does not take this HTTP method. */
public final class HttpMethodNotAllowedException extends MethodNotAllowedException {
    public HttpMethodNotAllowedException(String method) {
        super("HTTPMethodNotAllowed", "The method %s is not allowed for this resource.".formatted(method));
    }
}
