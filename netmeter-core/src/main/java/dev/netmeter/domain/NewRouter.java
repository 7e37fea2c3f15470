package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A validated request to create a router; the service gives it an id.
 *
 * @param namespace the network namespace, or empty for Neutron's {@code qrouter-<id>}
 */
public record NewRouter(ProjectId projectId, String name, String description, boolean adminStateUp, String host,
                        boolean distributed, Optional<String> namespace, String externalInterface) {
    public NewRouter {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(externalInterface, "externalInterface");
    }
}
