package dev.netmeter.domain;

import java.util.Objects;

/**
 * The project (Keystone tenant) that owns a resource. Keystone ids are usually 32 hex characters, but
 * Neutron accepts any string of up to 255 characters (noauth uses {@code fake_project_id}), and so do we.
 */
public record ProjectId(String value) {
    public static final int MAX_LENGTH = 255;

    public ProjectId {
        Objects.requireNonNull(value, "value");
        // Characters (code points), as the API checks them and the database columns store them.
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("project id longer than %d characters".formatted(MAX_LENGTH));
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
