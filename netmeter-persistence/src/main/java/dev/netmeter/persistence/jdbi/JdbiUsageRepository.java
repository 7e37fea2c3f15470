package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.DailySamplesCodec;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageGranularity.Dimension;
import dev.netmeter.domain.usage.UsageGroup;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.persistence.UsageQuery;
import dev.netmeter.persistence.UsageRepository;
import dev.netmeter.persistence.UsageSum;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.SequencedMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

/**
 * Usage in the tables {@code metering_usage_reports}, {@code metering_usage}, {@code metering_usage_totals},
 * {@code metering_usage_label_totals}, {@code metering_usage_samples} and {@code metering_usage_hosts}. Bound to
 * one transaction's handle; not thread-safe.
 */
final class JdbiUsageRepository implements UsageRepository {
    /** An H2 MERGE that lost a race for a new key is run again; after that the key exists (see Dialect). */
    private static final int MAX_MERGE_ATTEMPTS = 5;
    /** Rows fetched at a time when streaming: PostgreSQL otherwise reads a whole result before the first row. */
    private static final int STREAM_FETCH_SIZE = 1_000;
    private static final Map<Dimension, String> COLUMNS = Map.of(
            Dimension.ROUTER, "router_id", Dimension.LABEL, "label_id", Dimension.PROJECT, "project_id");

    /** The upserts of each dialect, built once. */
    private static final Map<Dialect, String> UPSERT_TOTAL = perDialect(JdbiUsageRepository::upsertTotal);
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

    /** Adds the rows of report {@code :report} to the totals per (router, label, direction), in key order. */
    private static String upsertTotal(Dialect dialect) {
        return dialect.upsertFrom("metering_usage_totals", List.of("router_id", "label_id", "direction"),
                List.of("router_id", "label_id", "direction", "project_id", "packets", "bytes", "first_update",
                        "last_update"),
                totalsAdded(), """
                        SELECT router_id, label_id, direction, project_id, packets, bytes, first_update, last_update
                        FROM metering_usage WHERE report_id = :report ORDER BY router_id, label_id, direction""");
    }

    /**
     * Adds the rows of report {@code :report}, summed per (label, direction), to the totals per label and
     * direction, in key order.
     */
    private static String upsertLabelTotal(Dialect dialect) {
        return dialect.upsertFrom("metering_usage_label_totals", List.of("label_id", "direction"),
                List.of("label_id", "direction", "project_id", "packets", "bytes", "first_update", "last_update"),
                totalsAdded(), """
                        SELECT label_id, direction, MAX(project_id), SUM(packets), SUM(bytes), MIN(first_update),
                            MAX(last_update)
                        FROM metering_usage WHERE report_id = :report GROUP BY label_id, direction
                        ORDER BY label_id, direction""");
    }

    /** How a running total takes more usage: the sums, the earliest first and the latest last update. */
    private static SequencedMap<String, String> totalsAdded() {
        SequencedMap<String, String> sums = new LinkedHashMap<>();
        sums.put("project_id", "offered.project_id");
        sums.put("packets", "stored.packets + offered.packets");
        sums.put("bytes", "stored.bytes + offered.bytes");
        sums.put("first_update", "LEAST(stored.first_update, offered.first_update)");
        sums.put("last_update", "GREATEST(stored.last_update, offered.last_update)");
        return sums;
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
                    content_sha256, row_count)
                VALUES (:id, :host, :windowStart, :windowEnd, :receivedAt, :sha256, :rows)""")
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
    public UsagePruned deleteReportsEndedBefore(Instant horizon, int limit) {
        List<String> ids = handle.createQuery("""
                SELECT id FROM metering_usage_reports WHERE window_end_ns < :horizon
                ORDER BY window_end_ns, id LIMIT %d""".formatted(limit))
                .bind("horizon", nanos(horizon))
                .mapTo(String.class).list();
        if (ids.isEmpty()) {
            return UsagePruned.NOTHING;
        }
        long rows = handle.createUpdate("DELETE FROM metering_usage WHERE report_id IN (<ids>)")
                .bindList("ids", ids).execute();
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

    @Override
    public void insertUsage(UUID reportId, Map<UsageKey, Usage> usage) {
        if (usage.isEmpty()) {
            return;
        }
        if (dialect == Dialect.POSTGRESQL) {
            copyUsage(reportId, usage);
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO metering_usage (report_id, router_id, label_id, direction, project_id, packets, bytes,
                    first_update, last_update)
                VALUES (:report_id, :router_id, :label_id, :direction, :project_id, :packets, :bytes, :first_update,
                    :last_update)""");
        String report = reportId.toString();
        sorted(usage).forEach(row -> bindRow(batch, row).bind("report_id", report).add());
        batch.execute();
    }

    /**
     * PostgreSQL's {@code COPY}, in its text format: a report's rows in one stream instead of batched inserts
     * (which the driver rewrites into multi-row inserts); same rows, same key order. A 100,000-row report took
     * 2.5–2.8 s to 201 against 2.9–4.1 s with the inserts ({@code bench usage}, interleaved runs).
     */
    private void copyUsage(UUID reportId, Map<UsageKey, Usage> usage) {
        StringBuilder rows = new StringBuilder(usage.size() * 160);
        String report = reportId.toString();
        for (Map.Entry<UsageKey, Usage> row : sorted(usage)) {
            UsageKey key = row.getKey();
            Usage value = row.getValue();
            rows.append(report).append('\t').append(key.router()).append('\t').append(key.label()).append('\t')
                    .append(column(key.direction())).append('\t');
            copyText(rows, key.project().value());
            rows.append('\t').append(value.packets()).append('\t').append(value.bytes())
                    .append('\t').append(value.firstUpdate().getEpochSecond())
                    .append('\t').append(value.lastUpdate().getEpochSecond()).append('\n');
        }
        jdbc(() -> handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn("""
                COPY metering_usage (report_id, router_id, label_id, direction, project_id, packets, bytes,
                    first_update, last_update) FROM STDIN""", new StringReader(rows.toString())));
    }

    /** Text in COPY's text format: a backslash, and the characters that end a field or a row, escaped. */
    private static void copyText(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    @Override
    public void addToTotals(UUID reportId) {
        String report = reportId.toString();
        try {
            upsert(() -> handle.createUpdate(UPSERT_TOTAL.get(dialect)).bind("report", report).execute());
            upsert(() -> handle.createUpdate(UPSERT_LABEL_TOTAL.get(dialect)).bind("report", report).execute());
        } catch (RuntimeException e) {
            if (SqlFailure.isOutOfRange(e)) {
                throw new InvalidInputException("usage would make a running total exceed %d".formatted(Long.MAX_VALUE));
            }
            throw e;
        }
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

    @Override
    public List<UsageSum> sum(UsageQuery query) {
        List<String> keys = new ArrayList<>(query.filter().granularity().keys().stream().map(COLUMNS::get).toList());
        if (query.filter().byDirection()) {
            keys.add("direction");
        }
        String keyList = keys.stream().map(key -> "s." + key).collect(Collectors.joining(", "));
        // The step offset is computed in a derived table, so that GROUP BY names a column: PostgreSQL would not
        // take SELECT's and GROUP BY's copies of an expression with parameters for the same expression.
        String sql = """
                SELECT %1$s, s.step_offset, SUM(s.packets) AS packets, SUM(s.bytes) AS bytes,
                    MIN(s.first_update) AS first_update, MAX(s.last_update) AS last_update
                FROM (SELECT u.router_id, u.label_id, u.project_id, u.direction, u.packets, u.bytes, u.first_update,
                          u.last_update,
                          (u.last_update - :from) - MOD(u.last_update - :from, :step) AS step_offset
                      FROM metering_usage u
                      WHERE u.last_update >= :from AND u.last_update < :to%2$s) s
                GROUP BY %1$s, s.step_offset
                ORDER BY s.step_offset, %1$s
                LIMIT %3$d""".formatted(keyList, filters(query), query.limit());
        Query statement = handle.createQuery(sql)
                .bind("from", query.fromSecond())
                .bind("to", query.toSecond())
                .bind("step", query.stepSeconds());
        UsageFilter filter = query.filter();
        bindIfAny(statement, "routers", filter.routers().stream().map(RouterId::toString).sorted().toList());
        bindIfAny(statement, "labels", filter.labels().stream().map(LabelId::toString).sorted().toList());
        bindIfAny(statement, "projects", filter.projects().stream().map(ProjectId::value).sorted().toList());
        query.project().ifPresent(project -> statement.bind("scope", project.value()));
        return statement.map((rs, ctx) -> new UsageSum(
                new UsageGroup(
                        optional(rs, keys, "router_id", text -> new RouterId(UUID.fromString(text))),
                        optional(rs, keys, "label_id", text -> new LabelId(UUID.fromString(text))),
                        optional(rs, keys, "project_id", ProjectId::new),
                        optional(rs, keys, "direction", JdbiUsageRepository::direction).flatMap(known -> known)),
                rs.getLong("step_offset") / query.stepSeconds(),
                summed(rs))).list();
    }

    /** A row of sums: the databases sum without overflowing; a sum past a long is refused here. */
    private static Usage summed(ResultSet rs) throws SQLException {
        return new Usage(exactSum(rs, "packets"), exactSum(rs, "bytes"),
                Instant.ofEpochSecond(rs.getLong("first_update")), Instant.ofEpochSecond(rs.getLong("last_update")));
    }

    private static long exactSum(ResultSet rs, String column) throws SQLException {
        BigDecimal sum = rs.getBigDecimal(column);
        if (sum.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new InvalidRequestException(("A sum of %s exceeds %d; ask by a finer granularity or a shorter "
                    + "range.").formatted(column, Long.MAX_VALUE));
        }
        return sum.longValueExact();
    }

    private static String filters(UsageQuery query) {
        StringBuilder where = new StringBuilder();
        UsageFilter filter = query.filter();
        if (!filter.routers().isEmpty()) {
            where.append(" AND u.router_id IN (<routers>)");
        }
        if (!filter.labels().isEmpty()) {
            where.append(" AND u.label_id IN (<labels>)");
        }
        if (!filter.projects().isEmpty()) {
            where.append(" AND u.project_id IN (<projects>)");
        }
        if (query.project().isPresent()) {
            where.append(" AND u.project_id = :scope");
        }
        return where.toString();
    }

    private static void bindIfAny(Query statement, String name, List<String> values) {
        if (!values.isEmpty()) {
            statement.bindList(name, values);
        }
    }

    private static <T> Optional<T> optional(ResultSet rs, List<String> keys, String column,
                                            Function<String, T> parse) throws SQLException {
        return keys.contains(column) ? Optional.of(parse.apply(rs.getString(column))) : Optional.empty();
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
        handle.createQuery("""
                SELECT label_id, utc_day, direction, project_id, samples FROM metering_usage_samples
                WHERE label_id IN (<labels>) AND utc_day BETWEEN :firstDay AND :lastDay""")
                .bindList("labels", List.copyOf(labels))
                .bind("firstDay", firstDay)
                .bind("lastDay", lastDay)
                .map((rs, ctx) -> Map.entry(sampleDayKey(rs), rs.getBytes("samples")))
                .forEach(day -> {
                    if (wanted.contains(day.getKey())) {    // the query may find days of other reports too
                        stored.put(day.getKey(), DailySamplesCodec.decode(day.getValue()));
                    }
                });
        return stored;
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
        SequencedMap<UsageKey, Usage> totals = new LinkedHashMap<>();
        handle.createQuery("""
                SELECT router_id, label_id, direction, project_id, packets, bytes, first_update, last_update
                FROM metering_usage_totals ORDER BY router_id, label_id, direction""")
                .map((rs, ctx) -> Map.entry(new UsageKey(new RouterId(UUID.fromString(rs.getString("router_id"))),
                        new LabelId(UUID.fromString(rs.getString("label_id"))),
                        new ProjectId(rs.getString("project_id")), direction(rs.getString("direction"))), usage(rs)))
                .forEach(total -> totals.put(total.getKey(), total.getValue()));
        return totals;
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

    private static List<Map.Entry<UsageKey, Usage>> sorted(Map<UsageKey, Usage> usage) {
        List<Map.Entry<UsageKey, Usage>> rows = new ArrayList<>(usage.entrySet());
        rows.sort(Map.Entry.comparingByKey(UsageKey.ROUTER_LABEL_ORDER));
        return rows;
    }

    private static PreparedBatch bindRow(PreparedBatch batch, Map.Entry<UsageKey, Usage> row) {
        UsageKey key = row.getKey();
        return bindUsage(batch.bind("router_id", key.router().toString())
                .bind("label_id", key.label().toString())
                .bind("direction", column(key.direction()))
                .bind("project_id", key.project().value()), row.getValue());
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
