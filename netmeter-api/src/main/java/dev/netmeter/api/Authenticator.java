package dev.netmeter.api;

import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;

/**
 * Establishes who sent a request (one strategy per deployment). Implementations are thread-safe.
 */
public interface Authenticator {
    /**
     * The caller of {@code request}.
     *
     * @throws dev.netmeter.domain.error.MeteringException if the request does not identify a caller
     */
    RequestContext authenticate(Context request);
}
