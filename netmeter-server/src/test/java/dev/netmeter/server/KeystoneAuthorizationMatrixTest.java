package dev.netmeter.server;

import dev.netmeter.api.identity.FakeKeystone;
import dev.netmeter.service.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The authorization matrix with tokens that a Keystone v3 token service issues and validates. */
class KeystoneAuthorizationMatrixTest extends AuthorizationMatrixContract {
    private final FakeKeystone keystone = FakeKeystone.start();

    @Override
    AuthSettings auth(Path dir) {
        return keystoneAuth(dir, keystone, 1000);
    }

    /** Keystone authentication against {@code keystone}, allowing {@code failuresPerMinute} failed attempts. */
    static AuthSettings keystoneAuth(Path dir, FakeKeystone keystone, int failuresPerMinute) {
        return new AuthSettings(AuthSettings.Strategy.KEYSTONE, dir.resolve("tokens.json"), Policy.defaults(),
                failuresPerMinute, Duration.ofMinutes(5), 1000, Optional.of(keystone.settings(Duration.ofSeconds(5))));
    }

    @Override
    String token(String project, String... roles) {
        return keystone.issue(user(project, roles));
    }

    @Override
    String tokenExpiringAt(String project, Instant expiresAt) {
        return keystone.issue(user(project, "member", "reader"), expiresAt, true);
    }

    static FakeKeystone.User user(String project, String... roles) {
        String name = "user-" + UUID.randomUUID();
        return new FakeKeystone.User("id-" + name, name, "pw", project, "name-" + project, List.of(roles));
    }

    @Override
    String challenge() {
        return "Keystone uri=\"" + keystone.url() + "\"";
    }

    @AfterAll
    void stop_keystone() {
        keystone.close();
    }
}
