package dev.netmeter.persistence.jdbi;

import java.util.Map;

/** What differs between the supported databases. Chosen from the JDBC URL. */
public enum Dialect {
    H2("", ""),
    POSTGRESQL("COLLATE \"C\"", ""),
    // NO PAD: utf8mb4_bin ignores trailing spaces, so a filter on name 'a' would also find 'a '.
    MARIADB("", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin");

    private final String textColumn;
    private final String tableOptions;

    Dialect(String textColumn, String tableOptions) {
        this.textColumn = textColumn;
        this.tableOptions = tableOptions;
    }

    /** The dialect of {@code jdbcUrl}, e.g. {@code jdbc:postgresql://…}. */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException(
                "unsupported database URL (use jdbc:h2:, jdbc:postgresql: or jdbc:mariadb:): " + redact(jdbcUrl));
    }

    /** Flyway placeholders of the migrations. */
    Map<String, String> placeholders() {
        // H2 measures VARCHAR in UTF-16 units: a name of 255 emoji is 510 of them.
        int unitsPerCharacter = this == H2 ? 2 : 1;
        return Map.of("text", textColumn, "table_options", tableOptions,
                "len_255", Integer.toString(255 * unitsPerCharacter),
                "len_1024", Integer.toString(1024 * unitsPerCharacter));
    }

    /** The URL without query parameters, which may hold a password. */
    static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
