package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.DailySamplesCodec;
import dev.netmeter.domain.billing.FiveMinuteSamples;
import dev.netmeter.domain.billing.SampleDayKey;
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
import java.util.SortedMap;
import java.util.TreeMap;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 9.1: the days of samples (V9's {@code metering_usage_samples}) of every usage row stored before
 * they existed, so that statements of earlier periods read as they did. Each row is spread pro rata over its
 * report's window on its own, as statements did when they added up rows, so their figures stay exactly what they
 * were (reports stored from now on are spread per label, see {@code ReportSamples}), with its direction. The rows
 * are read from the packed blocks (V8, migration 8.1) by project and window start, and each day is written once no
 * later block can add to it, so memory holds the days of the windows open, not the table. One transaction, like
 * every migration: a database of many months of rows takes a while to start once.
 */
final class BackfillUsageSamples extends JavaMigrationStep {
    private static final int BATCH = 1_000;
    private static final int FETCH_SIZE = 1_000;

    BackfillUsageSamples() {
        super("9.1", "backfill usage samples", 91);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement blocks = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO metering_usage_samples (label_id, utc_day, direction, project_id, samples)
                     VALUES (?, ?, ?, ?, ?)""")) {
            blocks.setFetchSize(FETCH_SIZE);
            Writer writer = new Writer(insert);
            try (ResultSet block = blocks.executeQuery("""
                    SELECT b.project_id, b.packed_rows, r.window_start_ns, r.window_end_ns
                    FROM metering_usage_blocks b JOIN metering_usage_reports r ON b.report_id = r.id
                    ORDER BY b.project_id, r.window_start_ns""")) {
                while (block.next()) {
                    ProjectId project = new ProjectId(block.getString("project_id"));
                    Instant start = instant(block.getLong("window_start_ns"));
                    Instant end = instant(block.getLong("window_end_ns"));
                    writer.startingAt(project, start);
                    List<Map.Entry<UsageKey, Usage>> rows = new ArrayList<>();
                    PackedUsage.readBlock(block.getBytes("packed_rows"), project,
                            (key, usage) -> rows.add(Map.entry(key, usage)));
                    for (Map.Entry<UsageKey, Usage> row : rows) {
                        writer.add(row.getKey(), row.getValue(), start, end);
                    }
                }
            }
            writer.flushBefore(Long.MAX_VALUE);
            insert.executeBatch();
        }
    }

    /**
     * A project's days being filled in. Blocks come by project, then window start: a day before the start of the
     * block at hand gets nothing more, so it is written then, and memory holds the days of the windows open.
     */
    private static final class Writer {
        private final PreparedStatement insert;
        private final SortedMap<SampleDayKey, DailySamples.Builder> days = new TreeMap<>();
        private ProjectId project;
        private int batched;

        Writer(PreparedStatement insert) {
            this.insert = insert;
        }

        /** Writes the days that a block of {@code blockProject} starting at {@code start} can no longer add to. */
        void startingAt(ProjectId blockProject, Instant start) throws SQLException {
            if (!blockProject.equals(project)) {
                flushBefore(Long.MAX_VALUE);
                project = blockProject;
            } else {
                flushBefore(DailySamples.dayOf(FiveMinuteSamples.indexOf(start)));
            }
        }

        /** Spreads one row over its window's samples, on its own, as statements did before the days. */
        void add(UsageKey key, Usage usage, Instant start, Instant end) {
            long first = FiveMinuteSamples.indexOf(start);
            long last = FiveMinuteSamples.lastCovered(start, end);
            for (long sample = first; sample <= last; sample++) {
                day(key, sample).cover(DailySamples.indexInDay(sample));
            }
            FiveMinuteSamples.spread(usage.bytes(), start, end,
                    (sample, share) -> day(key, sample).add(DailySamples.indexInDay(sample), share, 0));
            FiveMinuteSamples.spread(usage.packets(), start, end,
                    (sample, share) -> day(key, sample).add(DailySamples.indexInDay(sample), 0, share));
        }

        private DailySamples.Builder day(UsageKey key, long sample) {
            return days.computeIfAbsent(new SampleDayKey(key.project(), key.label(), key.direction(),
                    DailySamples.dayOf(sample)), any -> DailySamples.builder());
        }

        /** Writes the days before day {@code day}. */
        void flushBefore(long day) throws SQLException {
            var done = days.entrySet().iterator();
            while (done.hasNext()) {
                Map.Entry<SampleDayKey, DailySamples.Builder> entry = done.next();
                SampleDayKey key = entry.getKey();
                if (key.day() >= day) {
                    continue;
                }
                insert.setString(1, key.label().toString());
                insert.setInt(2, Math.toIntExact(key.day()));
                insert.setString(3, key.storedDirection());
                insert.setString(4, key.project().value());
                insert.setBytes(5, DailySamplesCodec.encode(entry.getValue().build()));
                insert.addBatch();
                done.remove();
                if (++batched == BATCH) {
                    insert.executeBatch();
                    batched = 0;
                }
            }
        }
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
