package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageGranularity;
import dev.netmeter.domain.usage.UsageGroup;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.persistence.UsageQuery;
import dev.netmeter.persistence.UsageSum;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A database upgraded to packed usage (V8 and the Java migration 8.1) answers what it answered before: the rows
 * stored a table row each, and the running totals per (router, label), are moved into the packed tables, with
 * their projects and no direction, on every backend; more rows than one block holds are split over blocks.
 */
abstract class PackUsageMigrationContract {
    private static final long T0 = Instant.parse("2026-11-23T20:00:00Z").getEpochSecond();
    private final Backend backend;

    PackUsageMigrationContract(Backend backend) {
        this.backend = backend;
    }

    @Test
    void rows_and_router_totals_stored_before_packing_are_read_the_same_after() {
        try (TestDatabase test = TestDatabase.create(backend)) {
            DatabaseSettings settings = test.settings();
            Flyway.configure().dataSource(settings.url(), settings.user(), settings.password())
                    .locations("classpath:db/migration").placeholders(Dialect.of(settings.url()).placeholders())
                    .target("7").load().migrate();
            UUID report = UUID.randomUUID();
            RouterId router = new RouterId(UUID.randomUUID());
            LabelId label = new LabelId(UUID.randomUUID());
            String project = "p \t\"é";
            int many = PackedUsage.MAX_BLOCK_ROWS + 5;      // the other project's rows: two blocks
            Jdbi.create(settings.url(), settings.user(), settings.password()).useTransaction(handle -> {
                handle.execute("INSERT INTO metering_usage_reports (id, host, window_start_ns, window_end_ns, "
                        + "received_at_ms, content_sha256, row_count) VALUES (?, 'h1', ?, ?, 0, ?, ?)",
                        report.toString(), T0 * 1_000_000_000L, (T0 + 300) * 1_000_000_000L, "0".repeat(64),
                        many + 1);
                String row = "INSERT INTO metering_usage (report_id, router_id, label_id, project_id, packets, bytes, "
                        + "first_update, last_update) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
                handle.execute(row, report.toString(), router.toString(), label.toString(), project, 3, 300,
                        T0 + 10, T0 + 60);
                var batch = handle.prepareBatch(row);
                for (int i = 0; i < many; i++) {
                    batch.add(report.toString(), router.toString(), new UUID(5, i).toString(), "other", 1, 10,
                            T0, T0 + 100);
                }
                batch.execute();
                handle.execute("INSERT INTO metering_usage_totals (router_id, label_id, project_id, packets, bytes, "
                        + "first_update, last_update) VALUES (?, ?, ?, 7, 700, ?, ?)", router.toString(),
                        label.toString(), project, T0 - 600, T0 + 60);
            });

            var repos = test.open().transactor();
            UsageFilter byRouterLabel = new UsageFilter(UsageGranularity.ROUTER_LABEL, Set.of(), Set.of(label),
                    Set.of());
            List<UsageSum> sums = repos.inSnapshot(r -> r.usage().sum(new UsageQuery(byRouterLabel, Optional.empty(),
                    T0, T0 + 300, 300, 10)));
            UsageFilter byProject = new UsageFilter(UsageGranularity.PROJECT, Set.of(), Set.of(),
                    Set.of(new ProjectId("other")));
            List<UsageSum> other = repos.inSnapshot(r -> r.usage().sum(new UsageQuery(byProject, Optional.empty(),
                    T0, T0 + 300, 300, 10)));
            Map<UsageKey, Usage> totals = repos.inSnapshot(r -> r.usage().totals());
            List<LabelTotal> labelTotals = repos.inSnapshot(r -> r.usage().labelTotals());

            assertThat(sums).containsExactly(new UsageSum(new UsageGroup(Optional.of(router), Optional.of(label),
                    Optional.of(new ProjectId(project))), 0, usage(3, 300, T0 + 10, T0 + 60)));
            assertThat(other).containsExactly(new UsageSum(new UsageGroup(Optional.empty(), Optional.empty(),
                    Optional.of(new ProjectId("other"))), 0, usage(many, 10L * many, T0, T0 + 100)));
            assertThat(totals).containsExactly(Map.entry(new UsageKey(router, label, new ProjectId(project)),
                    usage(7, 700, T0 - 600, T0 + 60)));
            assertThat(labelTotals).as("V6 made none: the totals inserted here came after it").isEmpty();
        }
    }

    private static Usage usage(long packets, long bytes, long first, long last) {
        return new Usage(packets, bytes, Instant.ofEpochSecond(first), Instant.ofEpochSecond(last));
    }
}
