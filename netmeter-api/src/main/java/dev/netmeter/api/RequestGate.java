package dev.netmeter.api;

import dev.netmeter.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler every request meets, before Javalin. It gives the request its id and the answer the
 * security headers, whichever layer ends up answering, and refuses at once what no layer behind it may see:
 * <ul>
 *   <li>a method override ({@code X-HTTP-Method-Override} and its variants): Javalin would route
 *       {@code GET} with {@code X-HTTP-Method-Override: DELETE} as a {@code DELETE}, so anything that treats
 *       GET as safe (a cache, a proxy, a link) could destroy data, and no OpenStack client sends one;</li>
 *   <li>a transfer coding other than {@code chunked} alone, or a content coding: the body would be read as
 *       plain JSON although it is not, and a proxy in front may frame it differently (request smuggling);</li>
 *   <li>a path that is not percent-encoded UTF-8 ({@code %u0041}, {@code %ff}, overlong {@code %C0%AF}),
 *       which Javalin decodes once more and Jetty's servlet layer refuses with an empty body.</li>
 * </ul>
 * Thread-safe.
 */
final class RequestGate extends Handler.Wrapper {
    static final String REQUEST_ID_HEADER = "X-Openstack-Request-Id";
    static final String REQUEST_ID_ATTRIBUTE = "netmeter.request_id";
    private static final List<String> METHOD_OVERRIDES =
            List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        identify(request, response);
        Optional<String> refusal = refusal(request);
        if (refusal.isPresent()) {
            // The body may be framed in a way we do not trust: never read it, and never read past it.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            JsonErrorHandler.write(request, response, 400,
                    NeutronErrors.render(new InvalidRequestException(refusal.get())).body(), callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    /** Gives {@code request} its id once, and puts it and the security headers on {@code response}. */
    static String identify(Request request, Response response) {
        String id = (String) request.getAttribute(REQUEST_ID_ATTRIBUTE);
        if (id == null) {
            id = "req-" + UUID.randomUUID();
            request.setAttribute(REQUEST_ID_ATTRIBUTE, id);
        }
        response.getHeaders().put(REQUEST_ID_HEADER, id);
        SecurityHeaders.apply(response.getHeaders()::put);
        return id;
    }

    /** Why {@code request} is refused before routing, if it is. */
    private static Optional<String> refusal(Request request) {
        for (String header : METHOD_OVERRIDES) {
            if (request.getHeaders().contains(header)) {
                return Optional.of("The %s header is not supported: send the method itself".formatted(header));
            }
        }
        List<String> transferCodings = codings(request, HttpHeader.TRANSFER_ENCODING);
        if (!transferCodings.isEmpty() && !transferCodings.equals(List.of("chunked"))) {
            return Optional.of("Transfer-Encoding '%s' is not supported: only chunked is"
                    .formatted(String.join(", ", transferCodings)));
        }
        List<String> contentCodings = codings(request, HttpHeader.CONTENT_ENCODING);
        if (!contentCodings.isEmpty() && !contentCodings.equals(List.of("identity"))) {
            return Optional.of("Content-Encoding '%s' is not supported: send the body unencoded"
                    .formatted(String.join(", ", contentCodings)));
        }
        String path = request.getHttpURI().getPath();
        if (path != null && PercentDecoding.decode(path, false).isEmpty()) {
            return Optional.of("The request path is not percent-encoded UTF-8");
        }
        return Optional.empty();
    }

    /** The codings a header lists over all its fields, lower-cased, in order. */
    private static List<String> codings(Request request, HttpHeader header) {
        return request.getHeaders().stream().filter(field -> field.getHeader() == header)
                .map(HttpField::getValue)
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(coding -> coding.strip().toLowerCase(Locale.ROOT))
                .toList();
    }
}
