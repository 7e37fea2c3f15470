package dev.netmeter.server;

import dev.netmeter.api.identity.KeystoneSettings;
import dev.netmeter.service.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How callers are identified and what they may do.
 *
 * @param strategy the authentication strategy
 * @param tokenFile the static token file (strategy {@code token})
 * @param policy who may do what: Neutron's defaults, or those with the policy file's overrides
 * @param failedAttemptsPerMinute failed authentications a client may make a minute
 * @param tokenCacheTtl how long a validated Keystone token is trusted without asking again
 * @param tokenCacheSize most Keystone tokens remembered
 * @param keystone how to reach Keystone (strategy {@code keystone})
 */
public record AuthSettings(Strategy strategy, Path tokenFile, Policy policy, int failedAttemptsPerMinute,
                           Duration tokenCacheTtl, int tokenCacheSize, Optional<KeystoneSettings> keystone) {
    /** How callers are identified. */
    public enum Strategy {
        /** Static API tokens from a file (the default). */
        TOKEN,
        /** Tokens validated by Keystone v3. */
        KEYSTONE,
        /** Trust X-Project-Id / X-Roles headers (Neutron's noauth); loopback only. */
        NOAUTH
    }

    public AuthSettings {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
        Objects.requireNonNull(keystone, "keystone");
        if (strategy == Strategy.KEYSTONE && keystone.isEmpty()) {
            throw new IllegalArgumentException("the keystone strategy needs keystone settings");
        }
    }

    /** Noauth with Neutron's default policy: what tests and development use. */
    public static AuthSettings noauth(Path dataDir) {
        return new AuthSettings(Strategy.NOAUTH, dataDir.resolve("tokens.json"), Policy.defaults(), 10,
                Duration.ofMinutes(5), 10_000, Optional.empty());
    }
}
