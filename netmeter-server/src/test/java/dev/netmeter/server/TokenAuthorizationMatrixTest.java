package dev.netmeter.server;

import dev.netmeter.api.identity.StaticToken;
import dev.netmeter.api.identity.TokenFile;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.service.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** The authorization matrix with static API tokens from the token file. */
class TokenAuthorizationMatrixTest extends AuthorizationMatrixContract {
    private Path tokenFile;

    @Override
    AuthSettings auth(Path dir) {
        tokenFile = dir.resolve("tokens.json");
        return tokenAuth(tokenFile, 1000);
    }

    static AuthSettings tokenAuth(Path tokenFile, int failuresPerMinute) {
        return new AuthSettings(AuthSettings.Strategy.TOKEN, tokenFile, Policy.defaults(), failuresPerMinute,
                Duration.ofMinutes(5), 1000, Optional.empty());
    }

    @Override
    String token(String project, String... roles) {
        return issue(tokenFile, project, Optional.empty(), roles);
    }

    @Override
    String tokenExpiringAt(String project, Instant expiresAt) {
        return issue(tokenFile, project, Optional.of(expiresAt), "member", "reader");
    }

    /** Adds a token to {@code file}, as {@code netmeter token create} does; returns its secret. */
    static String issue(Path file, String project, Optional<Instant> expiresAt, String... roles) {
        StaticToken.Issued issued = StaticToken.issue(new ProjectId(project), "user-" + project, Set.of(roles),
                Instant.now(), expiresAt, "test");
        TokenFile.add(file, issued.token());
        return issued.secret();
    }

    @Override
    String challenge() {
        return "Token realm=\"netmeter\"";
    }
}
