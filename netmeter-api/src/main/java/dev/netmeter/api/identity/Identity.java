package dev.netmeter.api.identity;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.service.RequestContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a valid token says about its bearer. Immutable.
 *
 * @param projectId the project the token is scoped to
 * @param userId the user's id (for a static token, its user name)
 * @param userName the user's name, for logs
 * @param roles the roles the user holds on the project
 * @param expiresAt when the token stops being valid; empty: never
 */
public record Identity(ProjectId projectId, String userId, String userName, Set<String> roles,
                       Optional<Instant> expiresAt) {
    public Identity {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userName, "userName");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the token is still valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }

    /** The context the services see. */
    public RequestContext toContext() {
        return new RequestContext(projectId, userId, roles);
    }
}
