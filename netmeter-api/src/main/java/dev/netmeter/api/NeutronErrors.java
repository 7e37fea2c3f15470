package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.domain.error.BadRequestException;
import dev.netmeter.domain.error.ConflictException;
import dev.netmeter.domain.error.MeteringException;
import dev.netmeter.domain.error.MethodNotAllowedException;
import dev.netmeter.domain.error.NotAuthenticatedException;
import dev.netmeter.domain.error.NotAuthorizedException;
import dev.netmeter.domain.error.NotFoundException;
import dev.netmeter.domain.error.NotImplementedException;
import dev.netmeter.domain.error.PayloadTooLargeException;
import dev.netmeter.domain.error.ServiceUnavailableException;
import dev.netmeter.domain.error.TooManyRequestsException;

/** Maps exceptions to Neutron's error bodies. Pure; thread-safe. */
public final class NeutronErrors {
    static final String INTERNAL_MESSAGE = "Request Failed: internal server error while processing your request.";
    /**
     * The longest message sent, in code points. Messages quote the value refused, as Neutron's do; a 100 KB
     * name must not make a 100 KB error. Neutron's messages for the longest values refused (a description of
     * 1,025 characters) stay whole.
     */
    static final int MAX_MESSAGE_CODE_POINTS = 2048;

    private NeutronErrors() {
    }

    /** A status and its {@code {"NeutronError": {...}}} body. */
    public record Rendered(int status, ObjectNode body) {
    }

    /** The response for {@code error}: ours by category, anything else a 500 that reveals nothing. */
    public static Rendered render(Exception error) {
        if (error instanceof MeteringException e) {
            int status = switch (e) {
                case BadRequestException x -> 400;
                case NotAuthenticatedException x -> 401;
                case NotAuthorizedException x -> 403;
                case NotFoundException x -> 404;
                case MethodNotAllowedException x -> 405;
                case ConflictException x -> 409;
                case PayloadTooLargeException x -> 413;
                case TooManyRequestsException x -> 429;
                case NotImplementedException x -> 501;
                case ServiceUnavailableException x -> 503;
            };
            return rendered(status, e.type(), e.getMessage());
        }
        return rendered(500, "HTTPInternalServerError", INTERNAL_MESSAGE);
    }

    private static Rendered rendered(int status, String type, String message) {
        return new Rendered(status, body(type, message));
    }

    /** {@code {"NeutronError": {"type": …, "message": …, "detail": ""}}}. */
    static ObjectNode body(String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("NeutronError").put("type", type).put("message", cut(message)).put("detail", "");
        return body;
    }

    private static String cut(String message) {
        if (message == null || message.codePointCount(0, message.length()) <= MAX_MESSAGE_CODE_POINTS) {
            return message;
        }
        return message.substring(0, message.offsetByCodePoints(0, MAX_MESSAGE_CODE_POINTS)) + "… (cut)";
    }
}
