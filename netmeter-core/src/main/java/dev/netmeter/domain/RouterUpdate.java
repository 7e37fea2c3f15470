package dev.netmeter.domain;

import java.util.Objects;
import java.util.Optional;

/** A validated change of a router's mutable attributes; an empty attribute stays as it is. */
public record RouterUpdate(Optional<String> name, Optional<String> description, Optional<Boolean> adminStateUp,
                           Optional<String> host, Optional<Boolean> distributed, Optional<String> namespace,
                           Optional<String> externalInterface) {
    public RouterUpdate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(adminStateUp, "adminStateUp");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(distributed, "distributed");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(externalInterface, "externalInterface");
    }
}
