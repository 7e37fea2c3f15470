package dev.netmeter.domain;

import java.util.Objects;

/** A validated request to create a label; the service gives it an id. */
public record NewLabel(ProjectId projectId, String name, String description, boolean shared) {
    public NewLabel {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
