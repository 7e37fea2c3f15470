package dev.netmeter.service;

import dev.netmeter.domain.ProjectId;
import java.util.Objects;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling: the project, user and roles an authentication strategy established for a request.
 * Roles are held in lower case.
 */
public record RequestContext(ProjectId projectId, String userId, Set<String> roles) {
    public static final String ADMIN_ROLE = "admin";

    public RequestContext {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(userId, "userId");
        // Role names compare case-insensitively, as oslo.policy compares them.
        roles = roles.stream().map(role -> role.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the caller holds the admin role, as Neutron's {@code context.is_admin}. */
    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }
}
