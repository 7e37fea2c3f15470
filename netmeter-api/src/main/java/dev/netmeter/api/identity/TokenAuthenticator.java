package dev.netmeter.api.identity;

import dev.netmeter.api.Authenticator;
import dev.netmeter.domain.error.AuthenticationRequiredException;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates by the {@code X-Auth-Token} header, as OpenStack services do, with a {@link TokenValidator}
 * (static tokens or Keystone). A missing or invalid token is a 401 with a {@code WWW-Authenticate}
 * challenge; a client that failed too often is a 429 before its token is looked at. Thread-safe.
 */
public final class TokenAuthenticator implements Authenticator {
    static final String TOKEN_HEADER = "X-Auth-Token";
    /** Longer than any Keystone token (Fernet: ~250 characters; the retired PKI tokens: a few KB). */
    static final int MAX_TOKEN_CHARS = 8192;
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);

    private final TokenValidator validator;
    private final FailedAuthenticationLimiter limiter;
    private final String challenge;

    /** @param challenge the {@code WWW-Authenticate} value of a 401 */
    public TokenAuthenticator(TokenValidator validator, FailedAuthenticationLimiter limiter, String challenge) {
        this.validator = validator;
        this.limiter = limiter;
        this.challenge = challenge;
    }

    @Override
    public RequestContext authenticate(Context request) {
        String client = request.ip();
        limiter.check(client);
        String token = request.header(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            throw new AuthenticationRequiredException();   // not a failed attempt: clients probe without one
        }
        Optional<Identity> identity = token.length() > MAX_TOKEN_CHARS ? Optional.empty()
                : validator.validate(token.strip());
        if (identity.isEmpty()) {
            limiter.recordFailure(client);
            LOG.info("rejected an invalid token from {}", client);
            throw new AuthenticationRequiredException();
        }
        RequestContext caller = identity.get().context();
        LOG.debug("authenticated user {} ({}) of project {} with roles {}", identity.get().userName(), caller.userId(),
                caller.projectId(), caller.roles());
        return caller;
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(challenge);
    }
}
