package dev.netmeter.persistence.jdbi;

import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.billing.BurstableRate;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.error.StatementNotFoundException;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.BillingService.Line;
import dev.netmeter.service.BillingService.Statement;
import dev.netmeter.service.Policy;
import dev.netmeter.service.UsageService;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Statements on every backend, from reports stored through {@link UsageService#receive}, against figures
 * computed by hand: a window across a period's start counted pro rata in both periods, a line per label, the
 * 95th percentile of a known series, a deleted label's line without a name, the lines of consecutive periods
 * adding up to the stored rows, and a tenant seeing its own project's statements only.
 */
abstract class StatementContract extends DatabaseContract {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final Instant NOVEMBER_START = Instant.parse("2026-11-01T00:00:00Z");
    /** Samples of a 31-day and a 30-day month. */
    private static final long OCTOBER_SAMPLES = 31 * 288;
    private static final long NOVEMBER_SAMPLES = 30 * 288;

    private UsageService usage;
    private BillingService billing;
    private final RouterId router = new RouterId(UUID.randomUUID());

    StatementContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void services() {
        usage = new UsageService(transactor, Policy.defaults(), Clock.systemUTC(), Optional.empty());
        billing = new BillingService(transactor, Policy.defaults(),
                Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void a_window_across_the_period_start_is_counted_pro_rata_and_each_label_has_its_line() {
        String project = newProject();
        LabelId web = data.label(project, "web", false).id();
        LabelId db = data.label(project, "db", false).id();
        // 600 s, half in October and half in November
        receive(project, "2026-10-31T23:55:00Z", "2026-11-01T00:05:00Z", web, 10, 1_000);
        receive(project, "2026-11-10T12:00:00Z", "2026-11-10T12:05:00Z", web, 100, 37_500, db, 1, 3_000);

        Statement november = billing.statement(ADMIN, new ProjectId(project), Optional.of(NOVEMBER));

        assertThat(november.period()).contains(NOVEMBER);
        assertThat(november.start()).isEqualTo(NOVEMBER_START);
        assertThat(november.end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        // web: 500 + 37,500 bytes, its busiest sample 37,500 bytes = 1,000 bit/s; two busy samples of 8,640
        // leave the 95th percentile on a zero one. db: one sample of 3,000 bytes = 80 bit/s.
        assertThat(november.lines()).containsExactlyElementsOf(sorted(
                new Line(line(web, 38_000, 105, 0, 1_000, NOVEMBER_SAMPLES), Optional.of("web")),
                new Line(line(db, 3_000, 1, 0, 80, NOVEMBER_SAMPLES), Optional.of("db"))));
        // October has the other half: 500 bytes in its last sample, 13.3 bit/s rounded to 13
        assertThat(billing.statement(ADMIN, new ProjectId(project), Optional.of(OCTOBER)).lines()).containsExactly(
                new Line(line(web, 500, 5, 0, 13, OCTOBER_SAMPLES), Optional.of("web")));
        assertThat(billing.statement(ADMIN, new ProjectId(project), Optional.empty()))
                .as("the current period, 20 November by the service's clock").isEqualTo(november);
    }

    @Test
    void a_window_ending_at_the_start_is_left_out_and_one_of_no_length_at_the_start_is_in() {
        String project = newProject();
        LabelId label = data.label(project);
        receive(project, "2026-10-31T23:50:00Z", "2026-11-01T00:00:00Z", label, 7, 700);
        receive(project, "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", label, 3, 300);
        receive(project, "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z", label, 9, 900);

        assertThat(billing.statement(ADMIN, new ProjectId(project), Optional.of(NOVEMBER)).lines())
                .extracting(named -> named.line().bytes(), named -> named.line().packets())
                .containsExactly(tuple(300L, 3L));
    }

    @Test
    void the_95th_percentile_of_500_busy_samples_in_a_30_day_month() {
        String project = newProject();
        LabelId label = data.label(project);
        Instant start = Instant.parse("2026-11-02T00:00:00Z");
        for (int k = 1; k <= 500; k++) {
            receive(project, start.plusSeconds(300L * (k - 1)), start.plusSeconds(300L * k), label, 1, 375L * k);
        }

        // 375 * (1 + ... + 500) = 46,968,750 bytes. Samples of 10k bit/s; 8,140 zero samples and 500 busy ones,
        // the top 432 (8,640 / 20) dropped: the highest kept is the 68th busy one, 680 bit/s; the peak 5,000.
        assertThat(billing.statement(ADMIN, new ProjectId(project), Optional.of(NOVEMBER)).lines())
                .extracting(Line::line)
                .containsExactly(line(label, 46_968_750, 500, 680, 5_000, NOVEMBER_SAMPLES));
    }

    @Test
    void a_deleted_labels_line_has_no_name_and_is_still_billed() {
        String project = newProject();
        LabelId kept = data.label(project, "kept", false).id();
        LabelId gone = data.label(project, "gone", false).id();
        receive(project, "2026-11-03T00:00:00Z", "2026-11-03T00:05:00Z", kept, 1, 300, gone, 2, 600);
        labels.delete(ADMIN, gone.toString());

        assertThat(billing.statement(ADMIN, new ProjectId(project), Optional.of(NOVEMBER)).lines())
                .containsExactlyElementsOf(sorted(
                        new Line(line(kept, 300, 1, 0, 8, NOVEMBER_SAMPLES), Optional.of("kept")),
                        new Line(line(gone, 600, 2, 0, 16, NOVEMBER_SAMPLES), Optional.empty())));
    }

    @Test
    void the_lines_of_consecutive_periods_and_of_one_range_add_up_to_the_stored_rows() {
        String project = newProject();
        List<LabelId> labelIds = List.of(data.label(project), data.label(project));
        Random random = new Random(17);
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        long bytes = 0;
        long packets = 0;
        // windows of odd lengths at odd offsets, some across the ends of October and November
        for (int i = 0; i < 40; i++) {
            Instant start = from.plusSeconds(random.nextLong(91L * 86_400 - 3_600)).plusNanos(random.nextInt(1000));
            long b = random.nextLong(10_000_000);
            long p = random.nextLong(10_000);
            receive(project, start, start.plusSeconds(1 + random.nextInt(3_600)), labelIds.get(i % 2), p, b);
            bytes += b;
            packets += p;
        }
        Instant lateOctober = Instant.parse("2026-10-31T23:30:00Z");
        receive(project, lateOctober, lateOctober.plusSeconds(3_601), labelIds.get(0), 1_001, 1_000_003);
        bytes += 1_000_003;
        packets += 1_001;

        List<Statement> periods = List.of(OCTOBER, NOVEMBER, YearMonth.of(2026, 12)).stream()
                .map(month -> billing.statement(ADMIN, new ProjectId(project), Optional.of(month))).toList();
        Statement range = billing.statement(TestData.member(project), new ProjectId(project), from,
                Instant.parse("2027-01-01T00:00:00Z"));

        assertThat(periods.stream().mapToLong(StatementContract::bytes).sum()).isEqualTo(bytes);
        assertThat(periods.stream().mapToLong(StatementContract::packets).sum()).isEqualTo(packets);
        assertThat(bytes(range)).isEqualTo(bytes);
        assertThat(packets(range)).isEqualTo(packets);
        assertThat(range.period()).isEmpty();
        assertThat(range.lines()).extracting(named -> named.line().rate().samples()).containsOnly(92L * 288);
    }

    @Test
    void a_tenant_reads_its_own_projects_statements_only() {
        String project = newProject();
        LabelId label = data.label(project);
        receive(project, "2026-11-03T00:00:00Z", "2026-11-03T00:05:00Z", label, 1, 300);
        ProjectId mine = new ProjectId(project);

        assertThat(billing.statement(TestData.member(project), mine, Optional.of(NOVEMBER)).lines()).hasSize(1);
        assertThatThrownBy(() -> billing.statement(TestData.member(newProject()), mine, Optional.of(NOVEMBER)))
                .isInstanceOf(StatementNotFoundException.class);
        assertThatThrownBy(() -> billing.statement(TestData.member(newProject()), mine, NOVEMBER_START,
                NOVEMBER_START.plusSeconds(300))).isInstanceOf(StatementNotFoundException.class);
        assertThat(billing.statement(ADMIN, new ProjectId(newProject()), Optional.of(NOVEMBER)).lines())
                .as("another project's rows are not this one's").isEmpty();
    }

    private static long bytes(Statement statement) {
        return statement.lines().stream().mapToLong(named -> named.line().bytes()).sum();
    }

    private static long packets(Statement statement) {
        return statement.lines().stream().mapToLong(named -> named.line().packets()).sum();
    }

    private static StatementLine line(LabelId label, long bytes, long packets, long p95, long peak, long samples) {
        return new StatementLine(label, Optional.empty(), bytes, packets, new BurstableRate(p95, peak, samples));
    }

    private static List<Line> sorted(Line... lines) {
        List<Line> sorted = new ArrayList<>(List.of(lines));
        sorted.sort(Comparator.comparing(named -> named.line().label()));
        return sorted;
    }

    private void receive(String project, String start, String end, Object... labelsPacketsBytes) {
        receive(project, Instant.parse(start), Instant.parse(end), labelsPacketsBytes);
    }

    /** Stores a report of {@code [start, end)} on this test's router: label, packets, bytes, label, …. */
    private void receive(String project, Instant start, Instant end, Object... labelsPacketsBytes) {
        Map<UsageKey, Usage> rows = new HashMap<>();
        Instant second = Instant.ofEpochSecond(start.getEpochSecond());
        for (int i = 0; i < labelsPacketsBytes.length; i += 3) {
            rows.put(new UsageKey(router, (LabelId) labelsPacketsBytes[i], new ProjectId(project)),
                    Usage.of(((Number) labelsPacketsBytes[i + 1]).longValue(),
                            ((Number) labelsPacketsBytes[i + 2]).longValue(), second));
        }
        usage.receive(UsageContract.AGENT, new NewUsageReport("h1", new UsageReport(UUID.randomUUID(), start, end,
                rows)));
    }

    private static String newProject() {
        return "p-" + UUID.randomUUID();
    }
}
