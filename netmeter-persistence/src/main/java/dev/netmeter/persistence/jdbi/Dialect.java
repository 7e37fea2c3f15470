package dev.netmeter.persistence.jdbi;

import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What differs between the supported databases. Chosen from the JDBC URL. */
public enum Dialect {
    H2("", ""),
    POSTGRESQL("COLLATE \"C\"", ""),
    // NO PAD: utf8mb4_bin ignores trailing spaces, so a filter on name 'a' would also find 'a '.
    MARIADB("", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin");

    private static final Pattern ROW_REFERENCE = Pattern.compile("\\b(stored|offered)\\.(\\w+)");

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
                "len_1024", Integer.toString(1024 * unitsPerCharacter),
                "long_text", longText());
    }

    /** A text column for values of a few kilobytes (a notification), read and written as a String. */
    private String longText() {
        return switch (this) {
            case H2 -> "VARCHAR(1000000)";     // H2's TEXT is a CLOB, which JDBC reads back as a stream
            case POSTGRESQL -> "TEXT " + textColumn;
            case MARIADB -> "MEDIUMTEXT";
        };
    }

    /**
     * An INSERT of one row into {@code table} that updates the stored row instead when one with the same
     * {@code key} exists. Parameters are named after the columns ({@code :packets}). {@code updates} gives
     * each updated column's new value as an expression over {@code stored.<column>} (the row in the table)
     * and {@code offered.<column>} (the row inserted); no expression may read a column another one updates
     * (MariaDB assigns left to right and would read the new value).
     *
     * <p>Atomic on PostgreSQL ({@code ON CONFLICT}) and MariaDB ({@code ON DUPLICATE KEY}). H2 has neither
     * outside its compatibility modes, so it gets a {@code MERGE}, which does not lock the key it finds
     * missing: two transactions inserting the same new key make the second fail with a duplicate key, and the
     * caller must run the statement again (see {@link SqlFailure#isDuplicateKey}).
     */
    String upsert(String table, List<String> key, List<String> columns, SequencedMap<String, String> updates) {
        String names = String.join(", ", columns);
        String parameters = columns.stream().map(column -> ":" + column).collect(Collectors.joining(", "));
        return switch (this) {
            case POSTGRESQL -> "INSERT INTO %s AS stored (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s"
                    .formatted(table, names, parameters, String.join(", ", key), assignments(updates, "stored.",
                            "EXCLUDED.%s"));
            case MARIADB -> "INSERT INTO %s (%s) VALUES (%s) ON DUPLICATE KEY UPDATE %s"
                    .formatted(table, names, parameters, assignments(updates, "", "VALUES(%s)"));
            case H2 -> ("MERGE INTO %s AS stored USING (VALUES (%s)) AS offered (%s) ON %s "
                    + "WHEN MATCHED THEN UPDATE SET %s WHEN NOT MATCHED THEN INSERT (%s) VALUES (%s)")
                    .formatted(table, parameters, names,
                            key.stream().map(column -> "stored.%s = offered.%s".formatted(column, column))
                                    .collect(Collectors.joining(" AND ")),
                            assignments(updates, "stored.", "offered.%s"), names,
                            columns.stream().map(column -> "offered." + column).collect(Collectors.joining(", ")));
        };
    }

    private static String assignments(SequencedMap<String, String> updates, String stored, String offered) {
        return updates.entrySet().stream()
                .map(update -> update.getKey() + " = " + ROW_REFERENCE.matcher(update.getValue()).replaceAll(
                        reference -> Matcher.quoteReplacement(reference.group(1).equals("stored")
                                ? stored + reference.group(2)
                                : offered.formatted(reference.group(2)))))
                .collect(Collectors.joining(", "));
    }

    /** The URL without query parameters, which may hold a password. */
    static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
