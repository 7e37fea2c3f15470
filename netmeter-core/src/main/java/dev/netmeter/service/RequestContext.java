package dev.netmeter.service;

import dev.netmeter.domain.ProjectId;
import java.util.Objects;
import java.util.Set;

/** Who is calling: the project, user and roles an authentication strategy established for a request. */
public record RequestContext(ProjectId projectId, String userId, Set<String> roles) {
    public static final String ADMIN_ROLE = "admin";

    public RequestContext {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
    }

    /** Whether the caller holds the admin role, as Neutron's {@code context.is_admin}. */
    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }
}
