package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Answers the errors Jetty raises itself, before or around Javalin (a header block over the limit: 431, a
 * malformed request line: 400, a URI too long: 414, an HTTP version it does not speak: 400, not
 * Jetty's 505, a request its
 * servlet layer refuses, {@code OPTIONS *}), in Neutron's error format with the request id and the security
 * headers, instead of Jetty's HTML page or an empty body. Installed on the server and on Javalin's servlet
 * context, so that no layer answers in a format of its own. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** Javalin's request logger never sees these answers: they get their access line here. */
    private static final Logger ACCESS = LoggerFactory.getLogger("netmeter.access");

    /** Jetty writes no body at all for methods other than GET, POST and HEAD (a DELETE, OPTIONS *, PRI). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
            // HTTP/1.2, HTTP/9.9, HTTP/0.9's bare "GET /", an empty target: the client's mistake, not a server
            // failure, and a 5xx would page an operator for it.
            write(request, response, HttpStatus.BAD_REQUEST_400, NeutronErrors.body("HTTPBadRequest",
                    "The HTTP version is not supported: send HTTP/1.1 or HTTP/1.0."), callback);
            return;
        }
        write(request, response, code, body(code), callback);
    }

    /** Jetty's message may say what went wrong inside: the body names only the status. */
    private static ObjectNode body(int code) {
        if (code == HttpStatus.INTERNAL_SERVER_ERROR_500) {
            return NeutronErrors.body("HTTPInternalServerError", NeutronErrors.INTERNAL_MESSAGE);
        }
        String reason = HttpStatus.getMessage(code);     // webob's names: HTTPNotFound, HTTPVersionNotSupported
        return NeutronErrors.body("HTTP" + reason.replaceFirst("^HTTP ", "").replaceAll("[^A-Za-z]", ""),
                reason + ".");
    }

    /** Answers {@code request} with {@code status} and the error {@code body}, with every header an answer has. */
    static void write(Request request, Response response, int status, ObjectNode body, Callback callback) {
        String id = RequestGate.identify(request, response);
        MDC.put(ApiServer.REQUEST_ID, id);
        try {
            ACCESS.info("{} {} {} (refused before routing)", request.getMethod(),
                    request.getHttpURI() == null ? "" : request.getHttpURI().getPath(), status);
        } finally {
            MDC.remove(ApiServer.REQUEST_ID);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.setStatus(status);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        // Jetty strips a handler's HEAD body, but not one written on its error path (a path it refused)
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(bytes), callback);
    }
}
