package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BurstableRate;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.persistence.ClosedPeriod;
import dev.netmeter.persistence.ClosedStatement;
import dev.netmeter.persistence.ClosedStatement.Named;
import dev.netmeter.persistence.ClosingCandidate;
import dev.netmeter.persistence.RecordedAdjustment;
import dev.netmeter.persistence.StatementRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Closed statements in {@code metering_closed_statements} and {@code metering_closed_statement_entries}, late
 * usage in {@code metering_usage_adjustments}, and the closing locks in {@code metering_closing_locks}. Bound
 * to one transaction's handle; not thread-safe.
 */
final class JdbiStatementRepository implements StatementRepository {
    private static final Map<Dialect, String> UPSERT_LOCK = new EnumMap<>(Dialect.class);
    private static final String LINE = "line";
    private static final String ADJUSTMENT = "adjustment";
    /** By original period, label, then direction-less before ingress before egress (as statement lines). */
    private static final Comparator<Adjustment> ADJUSTMENT_ORDER = Comparator.comparing(Adjustment::period)
            .thenComparing(Adjustment::label)
            .thenComparing(adjustment -> adjustment.direction().map(direction -> direction.ordinal() + 1).orElse(0));

    static {
        SequencedMap<String, String> unchanged = new LinkedHashMap<>();
        unchanged.put("project_id", "stored.project_id");
        for (Dialect dialect : Dialect.values()) {
            UPSERT_LOCK.put(dialect, dialect.upsert("metering_closing_locks", List.of("project_id"),
                    List.of("project_id"), unchanged));
        }
    }

    private final Handle handle;
    private final Dialect dialect;

    JdbiStatementRepository(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public void lockClosing(ProjectId project) {
        // The row exists from the first lock on; an H2 MERGE that lost the race for a new row is run again.
        if (!Savepoints.unlessDuplicateKey(handle, () -> upsertLock(project))) {
            upsertLock(project);
        }
        handle.createQuery("SELECT project_id FROM metering_closing_locks WHERE project_id = :project FOR UPDATE")
                .bind("project", project.value())
                .mapTo(String.class).one();
    }

    private void upsertLock(ProjectId project) {
        handle.createUpdate(UPSERT_LOCK.get(dialect)).bind("project_id", project.value()).execute();
    }

    @Override
    public Optional<ClosedStatement> find(ProjectId project, YearMonth period) {
        Optional<Header> header = handle.createQuery("""
                SELECT start_ns, end_ns, closed_at_ms, content_sha256 FROM metering_closed_statements
                WHERE project_id = :project AND period_name = :period""")
                .bind("project", project.value())
                .bind("period", period.toString())
                .map((rs, ctx) -> new Header(new BillingPeriod(period, instant(rs.getLong("start_ns")),
                        instant(rs.getLong("end_ns"))), Instant.ofEpochMilli(rs.getLong("closed_at_ms")),
                        rs.getString("content_sha256")))
                .findOne();
        if (header.isEmpty()) {
            return Optional.empty();
        }
        List<Named<StatementLine>> lines = entries(project, period, LINE, rs -> new StatementLine(label(rs),
                direction(rs), rs.getLong("bytes"), rs.getLong("packets"), new BurstableRate(rs.getLong("p95_bps"),
                rs.getLong("peak_bps"), rs.getLong("samples"))));
        List<Named<Adjustment>> adjustments = entries(project, period, ADJUSTMENT,
                rs -> adjustment(rs, "original_period"));
        Header found = header.get();
        return Optional.of(new ClosedStatement(project, found.period, found.closedAt, found.sha256, lines,
                adjustments));
    }

    private <T> List<Named<T>> entries(ProjectId project, YearMonth period, String kind, Entry<T> entry) {
        return handle.createQuery("""
                SELECT label_id, label_name, direction, original_period, bytes, packets, p95_bps, peak_bps, samples
                FROM metering_closed_statement_entries
                WHERE project_id = :project AND period_name = :period AND kind = :kind ORDER BY entry_index""")
                .bind("project", project.value())
                .bind("period", period.toString())
                .bind("kind", kind)
                .map((rs, ctx) -> new Named<>(entry.read(rs), Optional.ofNullable(rs.getString("label_name"))))
                .list();
    }

    /** Reads the value of one entry. */
    @FunctionalInterface
    private interface Entry<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private record Header(BillingPeriod period, Instant closedAt, String sha256) {
    }

    @Override
    public boolean insert(ClosedStatement statement) {
        String project = statement.project().value();
        String period = statement.period().name().toString();
        boolean stored = Savepoints.unlessDuplicateKey(handle, () -> handle.createUpdate("""
                INSERT INTO metering_closed_statements (project_id, period_name, start_ns, end_ns, closed_at_ms,
                    content_sha256)
                VALUES (:project, :period, :start, :end, :closedAt, :sha256)""")
                .bind("project", project)
                .bind("period", period)
                .bind("start", nanos(statement.period().start()))
                .bind("end", nanos(statement.period().end()))
                .bind("closedAt", statement.closedAt().toEpochMilli())
                .bind("sha256", statement.contentSha256())
                .execute());
        if (!stored || statement.lines().isEmpty() && statement.adjustments().isEmpty()) {
            return stored;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO metering_closed_statement_entries (project_id, period_name, entry_index, kind, label_id,
                    label_name, direction, original_period, bytes, packets, p95_bps, peak_bps, samples)
                VALUES (:project, :period, :index, :kind, :label, :name, :direction, :original, :bytes, :packets,
                    :p95, :peak, :samples)""");
        int index = 0;
        for (Named<StatementLine> named : statement.lines()) {
            StatementLine line = named.value();
            batch.bind("project", project).bind("period", period).bind("index", index++).bind("kind", LINE)
                    .bind("label", line.label().toString()).bind("name", named.labelName().orElse(null))
                    .bind("direction", direction(line.direction())).bind("original", (String) null)
                    .bind("bytes", line.bytes()).bind("packets", line.packets())
                    .bind("p95", line.rate().p95Bps()).bind("peak", line.rate().peakBps())
                    .bind("samples", line.rate().samples()).add();
        }
        for (Named<Adjustment> named : statement.adjustments()) {
            Adjustment adjustment = named.value();
            batch.bind("project", project).bind("period", period).bind("index", index++).bind("kind", ADJUSTMENT)
                    .bind("label", adjustment.label().toString()).bind("name", named.labelName().orElse(null))
                    .bind("direction", direction(adjustment.direction()))
                    .bind("original", adjustment.period().toString())
                    .bind("bytes", adjustment.bytes()).bind("packets", adjustment.packets())
                    .bind("p95", (Long) null).bind("peak", (Long) null).bind("samples", (Long) null).add();
        }
        batch.execute();
        return true;
    }

    @Override
    public List<ClosedPeriod> closedOverlapping(Collection<ProjectId> projects, Instant from, Instant to) {
        if (projects.isEmpty()) {
            return List.of();
        }
        // A period overlaps [from, to) if it starts before `to` and ends after `from`; an empty range at `from`
        // lies in the period that starts at or before it and ends after it.
        return handle.createQuery("""
                SELECT project_id, period_name, start_ns, end_ns FROM metering_closed_statements
                WHERE project_id IN (<projects>) AND end_ns > :fromNs AND start_ns <= :lastNs
                ORDER BY project_id, period_name""")
                .bindList("projects", projects.stream().map(ProjectId::value).sorted().distinct().toList())
                .bind("fromNs", nanos(from))
                .bind("lastNs", to.equals(from) ? nanos(from) : nanos(to) - 1)
                .map((rs, ctx) -> new ClosedPeriod(new ProjectId(rs.getString("project_id")),
                        new BillingPeriod(YearMonth.parse(rs.getString("period_name")),
                                instant(rs.getLong("start_ns")), instant(rs.getLong("end_ns")))))
                .list();
    }

    @Override
    public SortedSet<YearMonth> closedFrom(ProjectId project, YearMonth month) {
        // 'YYYY-MM' sorts as the months do.
        return handle.createQuery("""
                SELECT period_name FROM metering_closed_statements
                WHERE project_id = :project AND period_name >= :month""")
                .bind("project", project.value())
                .bind("month", month.toString())
                .map((rs, ctx) -> YearMonth.parse(rs.getString("period_name")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public void insertAdjustments(List<RecordedAdjustment> adjustments) {
        if (adjustments.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO metering_usage_adjustments (report_id, project_id, label_id, direction, original_period,
                    shown_period, bytes, packets, recorded_at_ms)
                VALUES (:report, :project, :label, :direction, :original, :shown, :bytes, :packets, :recordedAt)""");
        for (RecordedAdjustment recorded : adjustments) {
            Adjustment adjustment = recorded.adjustment();
            batch.bind("report", recorded.reportId().toString())
                    .bind("project", recorded.project().value())
                    .bind("label", adjustment.label().toString())
                    .bind("direction", direction(adjustment.direction()))
                    .bind("original", adjustment.period().toString())
                    .bind("shown", recorded.shownOn().toString())
                    .bind("bytes", adjustment.bytes())
                    .bind("packets", adjustment.packets())
                    .bind("recordedAt", recorded.recordedAt().toEpochMilli())
                    .add();
        }
        batch.execute();
    }

    @Override
    public List<Adjustment> adjustmentsShownOn(ProjectId project, YearMonth period) {
        return adjustments("shown_period", project, period);
    }

    @Override
    public List<Adjustment> adjustmentsOf(ProjectId project, YearMonth period) {
        return adjustments("original_period", project, period);
    }

    private List<Adjustment> adjustments(String periodColumn, ProjectId project, YearMonth period) {
        List<Adjustment> adjustments = handle.createQuery("""
                SELECT original_period, label_id, direction, SUM(bytes) AS bytes, SUM(packets) AS packets
                FROM metering_usage_adjustments WHERE project_id = :project AND %s = :period
                GROUP BY original_period, label_id, direction""".formatted(periodColumn))
                .bind("project", project.value())
                .bind("period", period.toString())
                .map((rs, ctx) -> adjustment(rs, "original_period"))
                .list();
        List<Adjustment> sorted = new ArrayList<>(adjustments);
        sorted.sort(ADJUSTMENT_ORDER);
        return sorted;
    }

    @Override
    public List<ClosingCandidate> closingCandidates() {
        Map<String, Optional<Instant>> firstUsage = new TreeMap<>();
        handle.createQuery("""
                SELECT project_id, MIN(first_update) AS first_update FROM metering_usage_label_totals
                GROUP BY project_id""")
                .map((rs, ctx) -> Map.entry(rs.getString("project_id"),
                        Instant.ofEpochSecond(rs.getLong("first_update"))))
                .forEach(entry -> firstUsage.put(entry.getKey(), Optional.of(entry.getValue())));
        Map<String, YearMonth> firstChange = months("""
                SELECT project_id, MIN(effective_from) AS period_name FROM metering_billing_cycles
                GROUP BY project_id""");
        Map<String, YearMonth> lastClosed = months("""
                SELECT project_id, MAX(period_name) AS period_name FROM metering_closed_statements
                GROUP BY project_id""");
        firstChange.keySet().forEach(project -> firstUsage.putIfAbsent(project, Optional.empty()));
        List<ClosingCandidate> candidates = new ArrayList<>(firstUsage.size());
        firstUsage.forEach((project, first) -> candidates.add(new ClosingCandidate(new ProjectId(project), first,
                Optional.ofNullable(firstChange.get(project)), Optional.ofNullable(lastClosed.get(project)))));
        return candidates;
    }

    private Map<String, YearMonth> months(String query) {
        Map<String, YearMonth> months = new TreeMap<>();
        handle.createQuery(query)
                .map((rs, ctx) -> Map.entry(rs.getString("project_id"), YearMonth.parse(rs.getString("period_name"))))
                .forEach(entry -> months.put(entry.getKey(), entry.getValue()));
        return months;
    }

    private static Adjustment adjustment(ResultSet rs, String periodColumn) throws SQLException {
        return new Adjustment(label(rs), direction(rs), YearMonth.parse(rs.getString(periodColumn)),
                rs.getLong("bytes"), rs.getLong("packets"));
    }

    private static LabelId label(ResultSet rs) throws SQLException {
        return new LabelId(UUID.fromString(rs.getString("label_id")));
    }

    /** '' is usage without a direction, as in {@code metering_usage}. */
    private static Optional<Direction> direction(ResultSet rs) throws SQLException {
        String text = rs.getString("direction");
        return text.isEmpty() ? Optional.empty() : Optional.of(Direction.fromWire(text).orElseThrow());
    }

    private static String direction(Optional<Direction> direction) {
        return direction.map(Direction::wireName).orElse("");
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
