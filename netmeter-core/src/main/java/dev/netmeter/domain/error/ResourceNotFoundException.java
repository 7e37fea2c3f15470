package dev.netmeter.domain.error;

/** No route matches the path, or an extension alias is unknown (webob's HTTPNotFound). */
public final class ResourceNotFoundException extends NotFoundException {
    public ResourceNotFoundException(String message) {
        super("HTTPNotFound", message);
    }
}
