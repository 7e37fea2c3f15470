package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.DailySamplesCodec;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.persistence.UsageQuery;
import dev.netmeter.persistence.UsageRepository;
import dev.netmeter.persistence.UsageSum;
import dev.netmeter.persistence.UsageSums;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Usage in the tables {@code metering_usage_reports}, {@code metering_usage_blocks} (a report's rows, packed per
 * project: {@link PackedUsage}), {@code metering_router_totals} (running totals per (router, label, direction),
 * packed per router, folded from the reports after they are stored), {@code metering_usage_label_totals},
 * {@code metering_usage_samples} (each label's five-minute samples per UTC day) and {@code metering_usage_hosts}.
 * Bound to one transaction's handle; not thread-safe.
 */
final class JdbiUsageRepository implements UsageRepository {
    /** An H2 MERGE that lost a race for a new key is run again; after that the key exists (see Dialect). */
    private static final int MAX_MERGE_ATTEMPTS = 5;
    /** Rows fetched at a time when streaming: PostgreSQL otherwise reads a whole result before the first row. */
    private static final int STREAM_FETCH_SIZE = 100;
    /** Stand for the router and the project in a key of a label total: (label, direction) is its key. */
    private static final RouterId NO_ROUTER = new RouterId(new UUID(0, 0));
    private static final ProjectId NO_PROJECT = new ProjectId("");
    private static final String OVERFLOW = "usage would make a running total exceed %d".formatted(Long.MAX_VALUE);
    /** By project, as blocks are written: one lock order for every report. */
    private static final Comparator<Map.Entry<UsageKey, Usage>> BLOCK_ORDER =
            Comparator.<Map.Entry<UsageKey, Usage>, String>comparing(row -> row.getKey().project().value())
                    .thenComparing(Map.Entry::getKey, UsageKey.ROUTER_LABEL_ORDER);

    /** The upserts of each dialect, built once. */
    private static final Map<Dialect, String> UPSERT_LABEL_TOTAL = perDialect(JdbiUsageRepository::upsertLabelTotal);
    private static final Map<Dialect, String> UPSERT_HOST = perDialect(JdbiUsageRepository::upsertHost);
    private static final Map<Dialect, String> UPSERT_SAMPLE_DAY = perDialect(JdbiUsageRepository::upsertSampleDay);
    private static final Map<Dialect, String> WRITE_SAMPLE_DAY = perDialect(JdbiUsageRepository::writeSampleDay);
    /** Days of samples locked, read and written per statement: a report touches one or two per label. */
    private static final int SAMPLE_DAYS_AT_A_TIME = 1_000;

    private final Handle handle;
    private final Dialect dialect;

    JdbiUsageRepository(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    private static Map<Dialect, String> perDialect(Function<Dialect, String> statement) {
        Map<Dialect, String> statements = new EnumMap<>(Dialect.class);
        for (Dialect dialect : Dialect.values()) {
            statements.put(dialect, statement.apply(dialect));
        }
        return statements;
    }

    /** Adds one (label, direction)'s usage to its running total. */
    private static String upsertLabelTotal(Dialect dialect) {
        SequencedMap<String, String> sums = new LinkedHashMap<>();
        sums.put("project_id", "offered.project_id");
        sums.put("packets", "stored.packets + offered.packets");
        sums.put("bytes", "stored.bytes + offered.bytes");
        sums.put("first_update", "LEAST(stored.first_update, offered.first_update)");
        sums.put("last_update", "GREATEST(stored.last_update, offered.last_update)");
        return dialect.upsert("metering_usage_label_totals", List.of("label_id", "direction"),
                List.of("label_id", "direction", "project_id", "packets", "bytes", "first_update", "last_update"),
                sums);
    }

    private static String upsertHost(Dialect dialect) {
        SequencedMap<String, String> latest = new LinkedHashMap<>();
        latest.put("last_report_ms", "GREATEST(stored.last_report_ms, offered.last_report_ms)");
        return dialect.upsert("metering_usage_hosts", List.of("host"), List.of("host", "last_report_ms"), latest);
    }

    /** Stores a day of samples unless stored; a stored one is left as it is, and locked. */
    private static String upsertSampleDay(Dialect dialect) {
        SequencedMap<String, String> unchanged = new LinkedHashMap<>();
        unchanged.put("samples", "stored.samples");
        return dialect.upsert("metering_usage_samples", List.of("label_id", "utc_day", "direction", "project_id"),
                List.of("label_id", "utc_day", "direction", "project_id", "samples"), unchanged);
    }

    /**
     * Stores a day of samples in place of the stored one, which {@link #lockSampleDays} made sure of. On PostgreSQL
     * an upsert, which always finds the row and so is an update: unlike UPDATEs, the driver sends a batch of it as
     * a few multi-row statements (100 days took 24-48 ms instead of 39-140 ms under load). Elsewhere an UPDATE:
     * on H2 2.4.240 this MERGE, batched after the one that locks, stored days that no longer decoded (the codec
     * refused them; a plain JDBC batch of MERGEs did not do it, and it was not chased further).
     */
    private static String writeSampleDay(Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            return """
                    UPDATE metering_usage_samples SET samples = :samples
                    WHERE label_id = :label_id AND utc_day = :utc_day AND direction = :direction
                        AND project_id = :project_id""";
        }
        SequencedMap<String, String> replaced = new LinkedHashMap<>();
        replaced.put("samples", "offered.samples");
        return dialect.upsert("metering_usage_samples", List.of("label_id", "utc_day", "direction", "project_id"),
                List.of("label_id", "utc_day", "direction", "project_id", "samples"), replaced);
    }

    @Override
    public boolean insertReport(StoredUsageReport report, Instant receivedAt) {
        // The insert waits for a concurrent transaction holding the same id, then fails if that one committed.
        return fromSavepoint(() -> handle.createUpdate("""
                INSERT INTO metering_usage_reports (id, host, window_start_ns, window_end_ns, received_at_ms,
                    content_sha256, row_count, totals_folded)
                VALUES (:id, :host, :windowStart, :windowEnd, :receivedAt, :sha256, :rows, FALSE)""")
                .bind("id", report.id().toString())
                .bind("host", report.host())
                .bind("windowStart", nanos(report.windowStart()))
                .bind("windowEnd", nanos(report.windowEnd()))
                .bind("receivedAt", receivedAt.toEpochMilli())
                .bind("sha256", report.contentSha256())
                .bind("rows", report.rows())
                .execute());
    }

    @Override
    public void recordContentHash(UUID id, String contentSha256) {
        handle.createUpdate("UPDATE metering_usage_reports SET content_sha256 = :sha256 WHERE id = :id")
                .bind("id", id.toString()).bind("sha256", contentSha256).execute();
    }

    @Override
    public UsagePruned deleteReportsEndedBefore(Instant horizon, int limit) {
        List<String> ids = handle.createQuery("""
                SELECT id FROM metering_usage_reports WHERE window_end_ns < :horizon AND totals_folded = TRUE
                ORDER BY window_end_ns, id LIMIT %d""".formatted(limit))
                .bind("horizon", nanos(horizon))
                .mapTo(String.class).list();
        if (ids.isEmpty()) {
            return UsagePruned.NOTHING;
        }
        long rows = handle.createQuery("""
                SELECT COALESCE(SUM(row_count), 0) FROM metering_usage_blocks WHERE report_id IN (<ids>)""")
                .bindList("ids", ids).mapTo(Long.class).one();
        handle.createUpdate("DELETE FROM metering_usage_blocks WHERE report_id IN (<ids>)").bindList("ids", ids)
                .execute();
        int reports = handle.createUpdate("DELETE FROM metering_usage_reports WHERE id IN (<ids>)")
                .bindList("ids", ids).execute();
        return new UsagePruned(reports, rows);
    }

    @Override
    public Optional<StoredUsageReport> findReport(UUID id) {
        return handle.createQuery("""
                SELECT id, host, window_start_ns, window_end_ns, content_sha256, row_count
                FROM metering_usage_reports WHERE id = :id""")
                .bind("id", id.toString())
                .map((rs, ctx) -> new StoredUsageReport(UUID.fromString(rs.getString("id")), rs.getString("host"),
                        instant(rs.getLong("window_start_ns")), instant(rs.getLong("window_end_ns")),
                        rs.getInt("row_count"), rs.getString("content_sha256")))
                .findOne();
    }

    /**
     * Writes the rows as blocks of one project and at most {@link PackedUsage#MAX_BLOCK_ROWS} rows, by project and
     * then key: a 100,000-row report of ten projects is ten values to write, not 100,000 rows and their indexes.
     */
    @Override
    public void insertUsage(UUID reportId, Map<UsageKey, Usage> usage) {
        if (usage.isEmpty()) {
            return;
        }
        List<Map.Entry<UsageKey, Usage>> rows = new ArrayList<>(usage.entrySet());
        rows.sort(BLOCK_ORDER);
        String report = reportId.toString();
        jdbc(() -> {
            try (PreparedStatement insert = handle.getConnection().prepareStatement("""
                    INSERT INTO metering_usage_blocks (report_id, project_id, part, first_last_update,
                        last_last_update, row_count, packed_rows)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                int from = 0;
                int part = 0;
                for (int to = 1; to <= rows.size(); to++) {
                    boolean projectEnds = to == rows.size() || !rows.get(to).getKey().project()
                            .equals(rows.get(from).getKey().project());
                    if (projectEnds || to - from == PackedUsage.MAX_BLOCK_ROWS) {
                        bindBlock(insert, report, rows.get(from).getKey().project().value(), part,
                                rows.subList(from, to));
                        insert.addBatch();
                        part = projectEnds ? 0 : part + 1;
                        from = to;
                    }
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Binds the columns of one block of {@code rows}, all of {@code project}, to {@code insert}. */
    static void bindBlock(PreparedStatement insert, String report, String project, int part,
                          List<Map.Entry<UsageKey, Usage>> rows) throws SQLException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Map.Entry<UsageKey, Usage> row : rows) {
            long lastUpdate = row.getValue().lastUpdate().getEpochSecond();
            first = Math.min(first, lastUpdate);
            last = Math.max(last, lastUpdate);
        }
        insert.setString(1, report);
        insert.setString(2, project);
        insert.setInt(3, part);
        insert.setLong(4, first);
        insert.setLong(5, last);
        insert.setInt(6, rows.size());
        insert.setBytes(7, PackedUsage.block(rows));
    }

    @Override
    public void addToLabelTotals(Map<UsageKey, Usage> usage) {
        try {
            upsertLabelTotals(usage);
        } catch (ArithmeticException e) {
            throw new InvalidInputException(OVERFLOW);
        } catch (RuntimeException e) {
            if (SqlFailure.isOutOfRange(e)) {
                throw new InvalidInputException(OVERFLOW);
            }
            throw e;
        }
    }

    /**
     * Claims up to {@code limit} reports not folded yet, oldest first (a report another transaction claimed is
     * skipped once that one commits: the claim is a conditional update of its row), and adds their rows to the
     * per-router totals.
     */
    @Override
    public int foldRouterTotals(int limit) {
        List<String> claimed = new ArrayList<>();
        for (String id : handle.createQuery("""
                SELECT id FROM metering_usage_reports WHERE totals_folded = FALSE
                ORDER BY received_at_ms, id LIMIT %d""".formatted(limit)).mapTo(String.class).list()) {
            if (handle.createUpdate("""
                    UPDATE metering_usage_reports SET totals_folded = TRUE WHERE id = :id AND totals_folded = FALSE""")
                    .bind("id", id).execute() == 1) {
                claimed.add(id);
            }
        }
        if (!claimed.isEmpty()) {
            Map<UsageKey, Usage> rows = new HashMap<>();
            eachBlockRow(handle.createQuery("""
                    SELECT project_id, packed_rows FROM metering_usage_blocks WHERE report_id IN (<reports>)""")
                    .bindList("reports", claimed).setFetchSize(STREAM_FETCH_SIZE),
                    (key, usage) -> rows.merge(key, usage, Usage::plus));
            // A router total never passes its label's total, which the report's own transaction checked.
            addToRouterTotals(rows);
        }
        return claimed.size();
    }

    /**
     * Each router's packed totals, read under a row lock, added to and written back, router by router in id
     * order (so concurrent reports lock in one order and cannot deadlock). A router seen for the first time is
     * inserted; if a concurrent report inserted it first, it is read again and updated.
     */
    private void addToRouterTotals(Map<UsageKey, Usage> usage) {
        SortedMap<RouterId, Map<UsageKey, Usage>> byRouter = new TreeMap<>();
        usage.forEach((key, value) -> byRouter.computeIfAbsent(key.router(), router -> new HashMap<>())
                .merge(key, value, Usage::plus));
        PreparedBatch updates = handle.prepareBatch(
                "UPDATE metering_router_totals SET packed_totals = :totals WHERE router_id = :router");
        byRouter.forEach((router, added) -> {
            Optional<byte[]> stored = lockRouterTotals(router);
            if (stored.isPresent()) {
                updates.bind("router", router.toString()).bind("totals", plus(stored.get(), added)).add();
            } else if (!fromSavepoint(() -> handle.createUpdate(
                    "INSERT INTO metering_router_totals (router_id, packed_totals) VALUES (:router, :totals)")
                    .bind("router", router.toString()).bind("totals", plus(null, added)).execute())) {
                byte[] inserted = lockRouterTotals(router).orElseThrow();
                updates.bind("router", router.toString()).bind("totals", plus(inserted, added)).add();
            }
        });
        if (updates.size() > 0) {
            updates.execute();
        }
    }

    private Optional<byte[]> lockRouterTotals(RouterId router) {
        return handle.createQuery("SELECT packed_totals FROM metering_router_totals WHERE router_id = :router "
                        + "FOR UPDATE")
                .bind("router", router.toString()).mapTo(byte[].class).findOne();
    }

    /**
     * {@code stored} totals (or none) with {@code added} summed in, packed in key order. The map orders (and so
     * matches) keys by (router, label, direction) alone: a total's project becomes the one the report gives.
     */
    private static byte[] plus(byte[] stored, Map<UsageKey, Usage> added) {
        SortedMap<UsageKey, Usage> totals = new TreeMap<>(UsageKey.ROUTER_LABEL_ORDER);
        if (stored != null) {
            PackedUsage.readTotals(stored, totals::put);
        }
        added.forEach((key, value) -> {
            Usage before = totals.remove(key);
            totals.put(key, before == null ? value : before.plus(value));
        });
        return PackedUsage.totals(List.copyOf(totals.entrySet()));
    }

    /** The report's usage summed per (label, direction), added to their running totals in key order. */
    private void upsertLabelTotals(Map<UsageKey, Usage> usage) {
        SortedMap<UsageKey, Usage> sums = new TreeMap<>(UsageKey.ROUTER_LABEL_ORDER);
        Map<UsageKey, ProjectId> projects = new HashMap<>();
        usage.forEach((key, value) -> {
            UsageKey label = new UsageKey(NO_ROUTER, key.label(), NO_PROJECT, key.direction());
            sums.merge(label, value, Usage::plus);
            // Should two rows of a label name different projects, the greatest is kept (as SQL's MAX did).
            projects.merge(label, key.project(), (a, b) -> a.value().compareTo(b.value()) >= 0 ? a : b);
        });
        upsert(() -> {
            PreparedBatch batch = handle.prepareBatch(UPSERT_LABEL_TOTAL.get(dialect));
            sums.forEach((label, value) -> bindUsage(batch.bind("label_id", label.label().toString())
                    .bind("direction", column(label.direction()))
                    .bind("project_id", projects.get(label).value()), value).add());
            batch.execute();
        });
    }

    @Override
    public void recordReportFrom(String host, Instant receivedAt) {
        upsert(() -> handle.createUpdate(UPSERT_HOST.get(dialect))
                .bind("host", host)
                .bind("last_report_ms", receivedAt.toEpochMilli())
                .execute());
    }

    /** Runs a {@link Dialect#upsert} again when it lost a race for a new key (H2 only, see there). */
    private void upsert(Runnable statement) {
        for (int attempt = 1; !fromSavepoint(statement); attempt++) {
            if (attempt == MAX_MERGE_ATTEMPTS) {
                throw new IllegalStateException("an upsert met a duplicate key %d times".formatted(attempt));
            }
        }
    }

    /**
     * Runs {@code statement} from a savepoint, and undoes it if it fails on a duplicate key: on PostgreSQL a
     * failed statement would otherwise abort the whole transaction.
     *
     * @return false if it met a duplicate key
     */
    private boolean fromSavepoint(Runnable statement) {
        // JDBC's savepoints: JDBI's forget one that was rolled back to, and could then not release it.
        Connection connection = handle.getConnection();
        Savepoint savepoint = jdbc(connection::setSavepoint);
        try {
            statement.run();
        } catch (RuntimeException e) {
            if (!SqlFailure.isDuplicateKey(e)) {
                throw e;    // the transaction fails as a whole; no savepoint to release
            }
            jdbc(() -> {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
                return null;
            });
            return false;
        }
        jdbc(() -> {
            connection.releaseSavepoint(savepoint);
            return null;
        });
        return true;
    }

    /** A JDBC call whose failure becomes JDBI's exception, as the transactor expects of every statement. */
    private static <T> T jdbc(Callable<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new ConnectionException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Unpacks the blocks that may hold rows of the query (by their range of last_update, and by project where
     * the query names projects) and sums the rows in {@link UsageSums}.
     */
    @Override
    public List<UsageSum> sum(UsageQuery query) {
        StringBuilder where = new StringBuilder("last_last_update >= :from AND first_last_update < :to");
        if (!query.filter().projects().isEmpty()) {
            where.append(" AND project_id IN (<projects>)");
        }
        if (query.project().isPresent()) {
            where.append(" AND project_id = :scope");
        }
        Query blocks = handle.createQuery("SELECT project_id, packed_rows FROM metering_usage_blocks WHERE " + where)
                .bind("from", query.fromSecond())
                .bind("to", query.toSecond())
                .setFetchSize(STREAM_FETCH_SIZE);
        if (!query.filter().projects().isEmpty()) {
            blocks.bindList("projects", query.filter().projects().stream().map(ProjectId::value).sorted().toList());
        }
        query.project().ifPresent(project -> blocks.bind("scope", project.value()));
        UsageSums sums = new UsageSums(query);
        eachBlockRow(blocks, sums::add);
        return sums.sums();
    }

    /** Streams {@code blocks} (columns project_id and packed_rows, and any others) and unpacks each row. */
    private static void eachBlockRow(Query blocks, BiConsumer<UsageKey, Usage> row) {
        blocks.map((rs, ctx) -> new Block(new ProjectId(rs.getString("project_id")), rs.getBytes("packed_rows")))
                .forEach(block -> PackedUsage.readBlock(block.packedRows(), block.project(), row));
    }

    /** A block as read, before it is unpacked. */
    private record Block(ProjectId project, byte[] packedRows) {
    }

    @Override
    public void addSamples(SortedMap<SampleDayKey, DailySamples> days) {
        List<Map.Entry<SampleDayKey, DailySamples>> all = new ArrayList<>(days.entrySet());
        for (int from = 0; from < all.size(); from += SAMPLE_DAYS_AT_A_TIME) {
            List<Map.Entry<SampleDayKey, DailySamples>> chunk =
                    all.subList(from, Math.min(all.size(), from + SAMPLE_DAYS_AT_A_TIME));
            lockSampleDays(chunk);
            Map<SampleDayKey, DailySamples> stored = storedSampleDays(chunk);
            PreparedBatch update = handle.prepareBatch(WRITE_SAMPLE_DAY.get(dialect));
            for (Map.Entry<SampleDayKey, DailySamples> day : chunk) {
                DailySamples sum;
                try {
                    sum = stored.getOrDefault(day.getKey(), DailySamples.EMPTY).plus(day.getValue());
                } catch (ArithmeticException e) {
                    throw new InvalidInputException("usage would make a five-minute sample exceed %d"
                            .formatted(Long.MAX_VALUE));
                }
                bindSampleDay(update, day.getKey(), sum).add();
            }
            update.execute();
        }
    }

    /**
     * Makes sure each day of {@code chunk} is stored and locked by this transaction, in the chunk's order: an
     * upsert that stores an empty day where there is none and leaves a stored one as it is (which locks it, as
     * any update does). A day another report is adding to is waited for; one another report is creating at the
     * same time ends in a duplicate key on H2, and the batch is run again (see {@link Dialect#upsert}).
     */
    private void lockSampleDays(List<Map.Entry<SampleDayKey, DailySamples>> chunk) {
        upsert(() -> {
            PreparedBatch batch = handle.prepareBatch(UPSERT_SAMPLE_DAY.get(dialect));
            chunk.forEach(day -> bindSampleDay(batch, day.getKey(), DailySamples.EMPTY).add());
            batch.execute();
        });
    }

    /** The stored days of {@code chunk}, read after {@link #lockSampleDays}: as the last commit left them. */
    private Map<SampleDayKey, DailySamples> storedSampleDays(List<Map.Entry<SampleDayKey, DailySamples>> chunk) {
        Set<SampleDayKey> wanted = new HashSet<>();
        Set<String> labels = new TreeSet<>();
        long firstDay = Long.MAX_VALUE;
        long lastDay = Long.MIN_VALUE;
        for (Map.Entry<SampleDayKey, DailySamples> day : chunk) {
            wanted.add(day.getKey());
            labels.add(day.getKey().label().toString());
            firstDay = Math.min(firstDay, day.getKey().day());
            lastDay = Math.max(lastDay, day.getKey().day());
        }
        Map<SampleDayKey, DailySamples> stored = new HashMap<>();
        storedSampleDaysQuery(chunk, labels, firstDay, lastDay)
                .map((rs, ctx) -> Map.entry(sampleDayKey(rs), rs.getBytes("samples")))
                .forEach(day -> {
                    if (wanted.contains(day.getKey())) {    // the query may find days of other reports too
                        stored.put(day.getKey(), DailySamplesCodec.decode(day.getValue()));
                    }
                });
        return stored;
    }

    /**
     * The query of {@link #storedSampleDays}: by label and day range, by the primary key. On PostgreSQL by each
     * (label, day) pair instead: within the report's transaction the table's statistics are stale, and for
     * {@code label_id IN (…) AND utc_day BETWEEN …} the planner took the index on (project_id, utc_day), scanning
     * every day row of the range, so a report of 100,000 labels took 91 s; joined to the pairs it probes the key.
     */
    private Query storedSampleDaysQuery(List<Map.Entry<SampleDayKey, DailySamples>> chunk, Set<String> labels,
                                        long firstDay, long lastDay) {
        if (dialect != Dialect.POSTGRESQL) {
            return handle.createQuery("""
                    SELECT label_id, utc_day, direction, project_id, samples FROM metering_usage_samples
                    WHERE label_id IN (<labels>) AND utc_day BETWEEN :firstDay AND :lastDay""")
                    .bindList("labels", List.copyOf(labels))
                    .bind("firstDay", firstDay)
                    .bind("lastDay", lastDay);
        }
        Set<Map.Entry<String, Integer>> pairs = new LinkedHashSet<>();
        chunk.forEach(day -> pairs.add(Map.entry(day.getKey().label().toString(),
                Math.toIntExact(day.getKey().day()))));
        return handle.createQuery("""
                SELECT s.label_id, s.utc_day, s.direction, s.project_id, s.samples
                FROM unnest(CAST(:labels AS CHAR(36)[]), CAST(:days AS INTEGER[])) AS k (label_id, utc_day)
                JOIN metering_usage_samples s ON s.label_id = k.label_id COLLATE "C" AND s.utc_day = k.utc_day""")
                .bindArray("labels", String.class, pairs.stream().map(Map.Entry::getKey).toList())
                .bindArray("days", Integer.class, pairs.stream().map(Map.Entry::getValue).toList());
    }

    private static PreparedBatch bindSampleDay(PreparedBatch batch, SampleDayKey key, DailySamples day) {
        return batch.bind("label_id", key.label().toString())
                .bind("utc_day", Math.toIntExact(key.day()))
                .bind("direction", key.storedDirection())
                .bind("project_id", key.project().value())
                .bind("samples", DailySamplesCodec.encode(day));
    }

    private static SampleDayKey sampleDayKey(ResultSet rs) throws SQLException {
        return new SampleDayKey(new ProjectId(rs.getString("project_id")),
                new LabelId(UUID.fromString(rs.getString("label_id"))),
                SampleDayKey.direction(rs.getString("direction")), rs.getLong("utc_day"));
    }

    @Override
    public void forEachSampleDay(ProjectId project, long firstDay, long lastDay,
                                 BiConsumer<SampleDayKey, DailySamples> day) {
        Query query = handle.createQuery("""
                SELECT label_id, utc_day, direction, project_id, samples FROM metering_usage_samples
                WHERE project_id = :project AND utc_day BETWEEN :firstDay AND :lastDay""");
        if (dialect == Dialect.POSTGRESQL) {
            // The days in binary, not as hex text twice their size: a month of 100 labels is 5 MB of them, read
            // in 8-20 ms rather than 12-60 ms here. The driver sends bytea in binary only from a statement
            // prepared on the server, which a threshold below zero asks for from the first execution.
            query.addCustomizer(new StatementCustomizer() {
                @Override
                public void beforeExecution(PreparedStatement statement, StatementContext context)
                        throws SQLException {
                    statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                }
            });
        }
        query.bind("project", project.value())
                .bind("firstDay", firstDay)
                .bind("lastDay", lastDay)
                .setFetchSize(STREAM_FETCH_SIZE)
                .map((rs, ctx) -> Map.entry(sampleDayKey(rs), rs.getBytes("samples")))
                .useStream(rows -> rows.forEach(row -> day.accept(row.getKey(),
                        DailySamplesCodec.decode(row.getValue()))));
    }

    @Override
    public SequencedMap<UsageKey, Usage> totals() {
        SortedMap<UsageKey, Usage> totals = new TreeMap<>(UsageKey.ROUTER_LABEL_ORDER);
        handle.createQuery("SELECT router_id, packed_totals FROM metering_router_totals")
                .setFetchSize(STREAM_FETCH_SIZE)
                .map((rs, ctx) -> rs.getBytes("packed_totals"))
                .useStream(packed -> packed.forEach(router -> PackedUsage.readTotals(router, totals::put)));
        eachBlockRow(handle.createQuery("""
                SELECT b.project_id, b.packed_rows FROM metering_usage_blocks b
                JOIN metering_usage_reports r ON b.report_id = r.id WHERE r.totals_folded = FALSE""")
                .setFetchSize(STREAM_FETCH_SIZE), (key, usage) -> {
                    Usage folded = totals.remove(key);     // matched by (router, label, direction)
                    totals.put(key, folded == null ? usage : folded.plus(usage));
                });
        return new LinkedHashMap<>(totals);
    }

    @Override
    public List<LabelTotal> labelTotals() {
        return handle.createQuery("""
                SELECT label_id, direction, project_id, packets, bytes, first_update, last_update
                FROM metering_usage_label_totals ORDER BY label_id, direction""")
                .map((rs, ctx) -> new LabelTotal(new LabelId(UUID.fromString(rs.getString("label_id"))),
                        new ProjectId(rs.getString("project_id")), direction(rs.getString("direction")), usage(rs)))
                .list();
    }

    @Override
    public SequencedMap<String, Instant> lastReports() {
        SequencedMap<String, Instant> hosts = new LinkedHashMap<>();
        handle.createQuery("SELECT host, last_report_ms FROM metering_usage_hosts ORDER BY host")
                .map((rs, ctx) -> Map.entry(rs.getString("host"), Instant.ofEpochMilli(rs.getLong("last_report_ms"))))
                .forEach(host -> hosts.put(host.getKey(), host.getValue()));
        return hosts;
    }

    /** A direction as stored: {@code ''} for usage counted both ways as one (a key column cannot be NULL). */
    static String column(Optional<Direction> direction) {
        return direction.map(Direction::wireName).orElse("");
    }

    /** A stored direction. */
    private static Optional<Direction> direction(String column) {
        return column.isEmpty() ? Optional.empty()
                : Optional.of(Direction.fromWire(column).orElseThrow(() -> new IllegalStateException(
                        "a stored direction that is none of ingress, egress and '': " + column)));
    }

    private static PreparedBatch bindUsage(PreparedBatch batch, Usage usage) {
        return batch.bind("packets", usage.packets())
                .bind("bytes", usage.bytes())
                .bind("first_update", usage.firstUpdate().getEpochSecond())
                .bind("last_update", usage.lastUpdate().getEpochSecond());
    }

    private static Usage usage(ResultSet rs) throws SQLException {
        return new Usage(rs.getLong("packets"), rs.getLong("bytes"), Instant.ofEpochSecond(rs.getLong("first_update")),
                Instant.ofEpochSecond(rs.getLong("last_update")));
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
