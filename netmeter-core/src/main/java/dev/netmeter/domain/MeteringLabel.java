package dev.netmeter.domain;

import java.util.Objects;

/**
 * A metering label: a named set of rules whose matching traffic is counted together, owned by a
 * project, or {@code shared} so that it applies to every project's routers.
 */
public record MeteringLabel(LabelId id, ProjectId projectId, String name, String description, boolean shared) {
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 1024;

    public MeteringLabel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (characters(name) > MAX_NAME_LENGTH || characters(description) > MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("label name or description too long");
        }
    }

    /**
     * Lengths count characters (code points), as the API checks them and the database columns store them:
     * an emoji is one character but two {@code char}s.
     */
    private static int characters(String text) {
        return text.codePointCount(0, text.length());
    }

    /** The label described by {@code request}, under the id it is to be stored as. */
    public static MeteringLabel of(LabelId id, NewLabel request) {
        return new MeteringLabel(id, request.projectId(), request.name(), request.description(), request.shared());
    }
}
