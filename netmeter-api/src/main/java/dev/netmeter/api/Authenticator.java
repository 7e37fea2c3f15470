package dev.netmeter.api;

import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Establishes who sent a request (one strategy per deployment). Implementations are thread-safe.
 */
public interface Authenticator {
    /**
     * The caller of {@code request}.
     *
     * @throws dev.netmeter.domain.error.MeteringException if the request does not identify a caller (401),
     *     the client is throttled (429), or the identity service cannot be asked (503)
     */
    RequestContext authenticate(Context request);

    /** The {@code WWW-Authenticate} challenge sent with a 401, if this strategy answers 401 at all. */
    default Optional<String> challenge() {
        return Optional.empty();
    }
}
