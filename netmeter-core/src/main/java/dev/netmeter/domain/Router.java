package dev.netmeter.domain;

import java.util.Objects;

/**
 * A router whose external traffic is metered: owned by a project, run by the agent on {@code host}, its
 * traffic seen on {@code externalInterface} inside the network namespace {@code namespace}. The labels of
 * its project, and every shared label, apply to it while {@code adminStateUp}.
 */
public record Router(RouterId id, ProjectId projectId, String name, String description, boolean adminStateUp,
                     RouterStatus status, String host, boolean distributed, String namespace,
                     String externalInterface) {
    public static final int MAX_NAME_LENGTH = MeteringLabel.MAX_NAME_LENGTH;
    public static final int MAX_DESCRIPTION_LENGTH = MeteringLabel.MAX_DESCRIPTION_LENGTH;
    /** Neutron's L3 agent names a router's namespace so. */
    public static final String NAMESPACE_PREFIX = "qrouter-";

    public Router {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(externalInterface, "externalInterface");
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH
                || description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("router name or description too long");
        }
        LinuxNames.require(LinuxNames.hostNameProblem(host));
        LinuxNames.require(LinuxNames.namespaceNameProblem(namespace));
        LinuxNames.require(LinuxNames.interfaceNameProblem(externalInterface));
    }

    /** The router described by {@code request}, under the id it is to be stored as. */
    public static Router of(RouterId id, NewRouter request) {
        return new Router(id, request.projectId(), request.name(), request.description(), request.adminStateUp(),
                RouterStatus.ACTIVE, request.host(), request.distributed(),
                request.namespace().orElse(NAMESPACE_PREFIX + id), request.externalInterface());
    }

    /** This router with {@code update}'s attributes in place of its own. */
    public Router with(RouterUpdate update) {
        return new Router(id, projectId, update.name().orElse(name), update.description().orElse(description),
                update.adminStateUp().orElse(adminStateUp), status, update.host().orElse(host),
                update.distributed().orElse(distributed), update.namespace().orElse(namespace),
                update.externalInterface().orElse(externalInterface));
    }
}
