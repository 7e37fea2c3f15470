package dev.netmeter.api;

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
        String type = "HTTP" + reason.replaceAll("[^A-Za-z]", "");
        String text = code == 431 ? "Request header fields are too large." : reason + ".";
        NeutronErrors.Rendered rendered = code >= 500
                ? NeutronErrors.render(new IllegalStateException(message))
                : new NeutronErrors.Rendered(code, NeutronErrors.body(type, text));
        SecurityHeaders.apply(response.getHeaders()::put);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.setStatus(rendered.status());
        response.write(true, ByteBuffer.wrap(rendered.body().toString().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
