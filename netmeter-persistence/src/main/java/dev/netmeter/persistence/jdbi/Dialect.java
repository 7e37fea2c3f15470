package dev.netmeter.persistence.jdbi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

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

    /**
     * {@code jdbcUrl} with what makes every commit reach the disk (the operating system's, see below) before
     * it returns, so that no write is acknowledged that a killed server loses.
     *
     * <p>H2 writes a commit out lazily by default, up to its {@code WRITE_DELAY} (500 ms) later: a server
     * killed in that time had answered 2xx for writes it then lost (CrashDurabilityIT: 49 of 50 writes). With
     * {@code WRITE_DELAY=0} it writes each commit before it returns. It still never calls {@code fsync} per
     * commit (only on a clean close), so this covers a killed process, not a power loss (docs/architecture.md,
     * "Durability"). A URL that names {@code WRITE_DELAY} itself keeps its own value: the operator chose it.
     * PostgreSQL ({@code synchronous_commit=on}) and MariaDB ({@code innodb_flush_log_at_trx_commit=1}) flush
     * their log at each commit by default, in their own process; their URL is left as it is.
     */
    public String durableCommits(String jdbcUrl) {
        if (this == H2 && !jdbcUrl.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) {
            return jdbcUrl + ";WRITE_DELAY=0";
        }
        return jdbcUrl;
    }

    /**
     * What makes this database acknowledge a commit before it is flushed, as it is set up now, or empty if
     * every commit is flushed first: H2's {@code WRITE_DELAY} above 0 (named in the URL), PostgreSQL's
     * {@code synchronous_commit=off} or {@code fsync=off}, MariaDB's {@code innodb_flush_log_at_trx_commit}
     * other than 1. These are the operator's or the DBA's choice (MariaDB's is global, for every client), so
     * the server names them rather than overriding them.
     */
    Optional<String> lazyCommits(Handle handle) {
        return switch (this) {
            // two rows: the default and the value in force
            case H2 -> setting(handle, "SELECT MAX(CAST(SETTING_VALUE AS INT)) FROM INFORMATION_SCHEMA.SETTINGS "
                    + "WHERE SETTING_NAME = 'WRITE_DELAY'", "0", "H2's WRITE_DELAY is %s ms");
            case POSTGRESQL -> setting(handle, "SELECT CASE WHEN current_setting('fsync') = 'off' THEN 'fsync=off' "
                    + "WHEN current_setting('synchronous_commit') = 'off' THEN 'synchronous_commit=off' ELSE 'on' END",
                    "on", "PostgreSQL has %s");
            case MARIADB -> setting(handle, "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit", "1",
                    "MariaDB has innodb_flush_log_at_trx_commit=%s");
        };
    }

    private static Optional<String> setting(Handle handle, String query, String durable, String lazy) {
        String value = handle.createQuery(query).mapTo(String.class).one();
        return value.equals(durable) ? Optional.empty() : Optional.of(lazy.formatted(value));
    }

    /** Flyway placeholders of the migrations. */
    Map<String, String> placeholders() {
        // H2 measures VARCHAR in UTF-16 units: a name of 255 emoji is 510 of them.
        int unitsPerCharacter = this == H2 ? 2 : 1;
        return Map.of("text", textColumn, "table_options", tableOptions,
                "len_255", Integer.toString(255 * unitsPerCharacter),
                "len_1024", Integer.toString(1024 * unitsPerCharacter),
                "long_text", longText(), "binary", binary());
    }

    /** A column of bytes, up to megabytes (a block of packed usage rows), read and written as a byte[]. */
    private String binary() {
        return switch (this) {
            case H2 -> "VARBINARY(1000000000)";     // H2's BLOB is kept apart from the row and read as a stream
            case POSTGRESQL -> "BYTEA";
            case MARIADB -> "LONGBLOB";
        };
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
        String parameters = columns.stream().map(column -> ":" + column).collect(Collectors.joining(", "));
        return upsertFrom(table, key, columns, updates, "VALUES (%s)".formatted(parameters));
    }

    /**
     * The same for every row {@code query} yields, its columns in the order of {@code columns}: one statement
     * for a set of rows, which the database adds in the query's order (give it an ORDER BY on the key, so that
     * concurrent statements lock keys in one order). The query must not yield a key twice.
     */
    String upsertFrom(String table, List<String> key, List<String> columns, SequencedMap<String, String> updates,
                      String query) {
        String names = String.join(", ", columns);
        return switch (this) {
            case POSTGRESQL -> "INSERT INTO %s AS stored (%s) %s ON CONFLICT (%s) DO UPDATE SET %s"
                    .formatted(table, names, query, String.join(", ", key), assignments(updates, "stored.",
                            "EXCLUDED.%s"));
            // The stored row's columns are named with the table: an INSERT … SELECT has two rows in scope.
            case MARIADB -> "INSERT INTO %s (%s) %s ON DUPLICATE KEY UPDATE %s"
                    .formatted(table, names, query, assignments(updates, table + ".", "VALUES(%s)"));
            case H2 -> ("MERGE INTO %s AS stored USING (%s) AS offered (%s) ON %s "
                    + "WHEN MATCHED THEN UPDATE SET %s WHEN NOT MATCHED THEN INSERT (%s) VALUES (%s)")
                    .formatted(table, query, names,
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
