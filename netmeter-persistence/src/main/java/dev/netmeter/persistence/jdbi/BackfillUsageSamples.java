package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.DailySamplesCodec;
import dev.netmeter.domain.billing.FiveMinuteSamples;
import dev.netmeter.domain.billing.SampleDayKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 9.1: the days of samples (V9's {@code metering_usage_samples}) of every usage row stored before
 * they existed, so that statements of earlier periods read as they did. Each row is spread pro rata over its
 * report's window on its own, as statements did when they added up rows, so their figures stay exactly what they
 * were (reports stored from now on are spread per label, see {@code ReportSamples}). The rows are read in label
 * order and written a label at a time, so memory holds one label's days, not the table. One transaction, like
 * every migration: a database of many months of rows takes a while to start once.
 * Each row keeps its direction (V8's {@code metering_usage.direction}, {@code ''} for none).
 */
final class BackfillUsageSamples implements JavaMigration {
    private static final int BATCH = 1_000;
    private static final int FETCH_SIZE = 1_000;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("9.1");
    }

    @Override
    public String getDescription() {
        return "backfill usage samples";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement rows = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO metering_usage_samples (label_id, utc_day, direction, project_id, samples)
                     VALUES (?, ?, ?, ?, ?)""")) {
            rows.setFetchSize(FETCH_SIZE);
            Writer writer = new Writer(insert);
            try (ResultSet row = rows.executeQuery("""
                    SELECT u.label_id, u.project_id, u.direction, u.packets, u.bytes, r.window_start_ns,
                        r.window_end_ns
                    FROM metering_usage u JOIN metering_usage_reports r ON u.report_id = r.id
                    ORDER BY u.label_id""")) {
                while (row.next()) {
                    writer.add(new SampleDayKey(new ProjectId(row.getString("project_id")),
                                    new LabelId(UUID.fromString(row.getString("label_id"))),
                                    SampleDayKey.direction(row.getString("direction")), 0),
                            row.getLong("packets"), row.getLong("bytes"), instant(row.getLong("window_start_ns")),
                            instant(row.getLong("window_end_ns")));
                }
            }
            writer.flush();
            insert.executeBatch();
        }
    }

    /** One label's days being filled in, written out when the rows move on to the next label. */
    private static final class Writer {
        private final PreparedStatement insert;
        private final SortedMap<SampleDayKey, DailySamples.Builder> days = new TreeMap<>();
        private LabelId label;
        private int batched;

        Writer(PreparedStatement insert) {
            this.insert = insert;
        }

        /** Spreads one row over its window's samples ({@code line}'s day is ignored). */
        void add(SampleDayKey line, long packets, long bytes, Instant start, Instant end) throws SQLException {
            if (!line.label().equals(label)) {
                flush();
                label = line.label();
            }
            long first = FiveMinuteSamples.indexOf(start);
            long last = FiveMinuteSamples.lastCovered(start, end);
            for (long sample = first; sample <= last; sample++) {
                day(line, sample).cover(DailySamples.indexInDay(sample));
            }
            FiveMinuteSamples.spread(bytes, start, end,
                    (sample, share) -> day(line, sample).add(DailySamples.indexInDay(sample), share, 0));
            FiveMinuteSamples.spread(packets, start, end,
                    (sample, share) -> day(line, sample).add(DailySamples.indexInDay(sample), 0, share));
        }

        private DailySamples.Builder day(SampleDayKey line, long sample) {
            return days.computeIfAbsent(new SampleDayKey(line.project(), line.label(), line.direction(),
                    DailySamples.dayOf(sample)), key -> DailySamples.builder());
        }

        void flush() throws SQLException {
            for (Map.Entry<SampleDayKey, DailySamples.Builder> day : days.entrySet()) {
                SampleDayKey key = day.getKey();
                insert.setString(1, key.label().toString());
                insert.setInt(2, Math.toIntExact(key.day()));
                insert.setString(3, key.storedDirection());
                insert.setString(4, key.project().value());
                insert.setBytes(5, DailySamplesCodec.encode(day.getValue().build()));
                insert.addBatch();
                if (++batched == BATCH) {
                    insert.executeBatch();
                    batched = 0;
                }
            }
            days.clear();
        }
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
