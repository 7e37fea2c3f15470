package dev.netmeter.api.identity;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.service.RequestContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a valid token says about its bearer. Immutable. Holds the {@link RequestContext} the services see,
 * built once: a cached identity costs a request nothing to turn into a caller.
 *
 * @param context the project, user id and roles
 * @param userName the user's name, for logs
 * @param expiresAt when the token stops being valid; empty: never
 */
public record Identity(RequestContext context, String userName, Optional<Instant> expiresAt) {
    public Identity {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * @param projectId the project the token is scoped to
     * @param userId the user's id (for a static token, its user name)
     * @param roles the roles the user holds on the project
     */
    public Identity(ProjectId projectId, String userId, String userName, Set<String> roles,
            Optional<Instant> expiresAt) {
        this(new RequestContext(projectId, userId, roles), userName, expiresAt);
    }

    public ProjectId projectId() {
        return context.projectId();
    }

    /** Whether the token is still valid at {@code now}. */
    public boolean isValidAt(Instant now) {
        return expiresAt.map(now::isBefore).orElse(true);
    }
}
