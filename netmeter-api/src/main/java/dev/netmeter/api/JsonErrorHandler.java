package dev.netmeter.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises before a request reaches Javalin (a header block over the limit: 431, a
 * malformed request line: 400, a URI too long: 414) in Neutron's error format, with the security headers,
 * instead of Jetty's HTML page. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String reason = HttpStatus.getMessage(code);
        ObjectNode body = code >= 500   // Jetty's message may say what went wrong inside: never show it
                ? NeutronErrors.body("HTTPInternalServerError", NeutronErrors.INTERNAL_MESSAGE)
                : NeutronErrors.body("HTTP" + reason.replaceAll("[^A-Za-z]", ""), reason + ".");
        SecurityHeaders.apply(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.setStatus(code);
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
