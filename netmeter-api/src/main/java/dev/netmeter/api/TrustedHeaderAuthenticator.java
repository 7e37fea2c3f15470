package dev.netmeter.api;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.service.RequestContext;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Neutron's {@code noauth} strategy: the caller is whoever the {@code X-Project-Id}, {@code X-User-Id}
 * and {@code X-Roles} headers say (what Keystone middleware would set after validating a token). Without
 * {@code X-Project-Id} the caller is Neutron's fake admin, project {@code fake_project_id}. For
 * development only: the server refuses to listen beyond loopback with it. Thread-safe.
 */
public final class TrustedHeaderAuthenticator implements Authenticator {
    static final ProjectId FAKE_PROJECT = new ProjectId("fake_project_id");

    @Override
    public RequestContext authenticate(Context request) {
        String project = header(request, "X-Project-Id");
        if (project == null) {
            project = header(request, "X-Tenant-Id");
        }
        if (project == null) {
            return new RequestContext(FAKE_PROJECT, "fake_user_id", Set.of(RequestContext.ADMIN_ROLE));
        }
        String user = header(request, "X-User-Id");
        String roles = header(request, "X-Roles");
        return new RequestContext(new ProjectId(project), user == null ? "" : user, roles == null ? Set.of()
                : Arrays.stream(roles.split(",")).map(String::trim).filter(role -> !role.isEmpty())
                        .map(role -> role.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
    }

    private static String header(Context request, String name) {
        String value = request.header(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        value = value.trim();
        if (value.length() > ProjectId.MAX_LENGTH) {
            throw new InvalidRequestException("The %s header is longer than %d characters"
                    .formatted(name, ProjectId.MAX_LENGTH));
        }
        Attributes.requireStorable(name, value);
        return value;
    }
}
