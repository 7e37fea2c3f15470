package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 8.1: moves the usage rows and the running totals per (router, label) that V3 to V7 kept a table row
 * each into the packed tables V8 created ({@link PackedUsage}), then drops the old tables. In Java because SQL
 * cannot pack; registered with Flyway by {@link Database} (its name does not follow Flyway's class naming).
 * Rows are read in key order and written a block at a time, so that a large history never sits in memory whole.
 */
final class PackUsageMigration extends JavaMigrationStep {
    private static final int FETCH_SIZE = 1_000;

    PackUsageMigration() {
        super("8.1", "pack usage rows and router totals", 81);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")) {
            uncompressed(connection);
        }
        packRows(connection);
        packTotals(connection);
        try (Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE metering_usage");
            drop.execute("DROP TABLE metering_usage_totals");
        }
    }

    /**
     * PostgreSQL compresses values over 2 KB (TOAST, pglz) by default: packed ids and counters hardly compress, and
     * compressing a 100,000-row report's 6.5 MB took a good part of its time. They are stored out of line as they
     * are.
     */
    private static void uncompressed(Connection connection) throws SQLException {
        try (Statement alter = connection.createStatement()) {
            alter.execute("ALTER TABLE metering_usage_blocks ALTER COLUMN packed_rows SET STORAGE EXTERNAL");
            alter.execute("ALTER TABLE metering_router_totals ALTER COLUMN packed_totals SET STORAGE EXTERNAL");
        }
    }

    private static void packRows(Connection connection) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("""
                SELECT report_id, project_id, router_id, label_id, packets, bytes, first_update, last_update
                FROM metering_usage ORDER BY report_id, project_id, router_id, label_id""");
             PreparedStatement write = connection.prepareStatement("""
                     INSERT INTO metering_usage_blocks (report_id, project_id, part, first_last_update,
                         last_last_update, row_count, packed_rows)
                     VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            read.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = read.executeQuery()) {
                BlockWriter blocks = new BlockWriter(write);
                while (rows.next()) {
                    blocks.add(rows.getString("report_id"), rows.getString("project_id"), Map.entry(
                            new UsageKey(new RouterId(UUID.fromString(rows.getString("router_id"))),
                                    new LabelId(UUID.fromString(rows.getString("label_id"))),
                                    new ProjectId(rows.getString("project_id"))),
                            usage(rows)));
                }
                blocks.flush();
            }
        }
    }

    private static void packTotals(Connection connection) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("""
                SELECT router_id, label_id, project_id, packets, bytes, first_update, last_update
                FROM metering_usage_totals ORDER BY router_id, label_id""");
             PreparedStatement write = connection.prepareStatement(
                     "INSERT INTO metering_router_totals (router_id, packed_totals) VALUES (?, ?)")) {
            read.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = read.executeQuery()) {
                String router = null;
                List<Map.Entry<UsageKey, Usage>> totals = new ArrayList<>();
                while (rows.next()) {
                    String next = rows.getString("router_id");
                    if (router != null && !router.equals(next)) {
                        writeTotals(write, router, totals);
                    }
                    router = next;
                    totals.add(Map.entry(new UsageKey(new RouterId(UUID.fromString(next)),
                            new LabelId(UUID.fromString(rows.getString("label_id"))),
                            new ProjectId(rows.getString("project_id"))), usage(rows)));
                }
                if (router != null) {
                    writeTotals(write, router, totals);
                }
            }
        }
    }

    private static void writeTotals(PreparedStatement write, String router, List<Map.Entry<UsageKey, Usage>> totals)
            throws SQLException {
        write.setString(1, router);
        write.setBytes(2, PackedUsage.totals(totals));
        write.executeUpdate();
        totals.clear();
    }

    private static Usage usage(ResultSet rows) throws SQLException {
        return new Usage(rows.getLong("packets"), rows.getLong("bytes"),
                Instant.ofEpochSecond(rows.getLong("first_update")),
                Instant.ofEpochSecond(rows.getLong("last_update")));
    }

    /** Collects rows of one (report, project) into blocks of at most {@link PackedUsage#MAX_BLOCK_ROWS}. */
    private static final class BlockWriter {
        private final PreparedStatement write;
        private final List<Map.Entry<UsageKey, Usage>> rows = new ArrayList<>();
        private String report;
        private String project;
        private int part;

        BlockWriter(PreparedStatement write) {
            this.write = write;
        }

        void add(String rowReport, String rowProject, Map.Entry<UsageKey, Usage> row) throws SQLException {
            boolean sameBlock = rowReport.equals(report) && rowProject.equals(project);
            if (!sameBlock || rows.size() == PackedUsage.MAX_BLOCK_ROWS) {
                flush();
                part = sameBlock ? part + 1 : 0;
                report = rowReport;
                project = rowProject;
            }
            rows.add(row);
        }

        void flush() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            JdbiUsageRepository.bindBlock(write, report, project, part, rows);
            write.executeUpdate();
            rows.clear();
        }
    }
}
