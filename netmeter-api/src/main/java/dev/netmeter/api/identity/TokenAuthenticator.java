package dev.netmeter.api.identity;

import dev.netmeter.api.Authenticator;
import dev.netmeter.domain.error.AuthenticationRequiredException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates by the {@code X-Auth-Token} header, as OpenStack services do, or by {@code Authorization:
 * Bearer <token>} (RFC 6750), which is what Prometheus and most HTTP tooling send, with a {@link TokenValidator}
 * (static tokens or Keystone). Both headers with different tokens are a 400: which one counts would be a guess.
 * A missing or invalid token is a 401 with a {@code WWW-Authenticate}
 * challenge; a client that failed too often is a 429 before its token is looked at. Thread-safe.
 */
public final class TokenAuthenticator implements Authenticator {
    static final String TOKEN_HEADER = "X-Auth-Token";
    private static final String BEARER = "bearer ";
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
        String token = token(request);
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

    /** The token of {@code X-Auth-Token} or of {@code Authorization: Bearer}; null if neither carries one. */
    private static String token(Context request) {
        String authToken = request.header(TOKEN_HEADER);
        String authorization = request.header(Header.AUTHORIZATION);
        String bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? authorization.substring(BEARER.length()).strip() : null;
        if (authToken == null || authToken.isBlank()) {
            return bearer;
        }
        if (bearer != null && !bearer.isEmpty() && !bearer.equals(authToken.strip())) {
            throw new InvalidRequestException("The X-Auth-Token and Authorization: Bearer headers carry different "
                    + "tokens");
        }
        return authToken;
    }

    @Override
    public Optional<String> challenge() {
        return Optional.of(challenge);
    }
}
