package dev.netmeter.api.identity;

import java.util.Optional;

/** Tells who a token belongs to. Implementations are thread-safe. */
public interface TokenValidator {
    /**
     * The identity behind {@code token}, or empty if the token is unknown, revoked, expired or not scoped
     * to a project. Never logs the token.
     *
     * @throws dev.netmeter.domain.error.IdentityServiceUnavailableException if validity cannot be decided
     *     (the request must then be refused, never let through)
     */
    Optional<Identity> validate(String token);
}
