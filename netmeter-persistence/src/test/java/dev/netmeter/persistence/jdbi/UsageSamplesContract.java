package dev.netmeter.persistence.jdbi;

import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.billing.BurstableRate;
import dev.netmeter.domain.billing.DailySamples;
import dev.netmeter.domain.billing.SampleDayKey;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.BillingService;
import dev.netmeter.service.BillingService.Statement;
import dev.netmeter.service.Policy;
import dev.netmeter.service.UsageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The days of five-minute samples on every backend: what stored reports add to them (a window across a sample
 * and a day boundary, two reports in one sample, rows of several routers summed), the statements read from them
 * (direction-less and per-direction lines), every line adding up to the stored rows exactly, and no report's
 * samples lost when reports race for one sample, on a day stored before or not yet.
 */
@Timeout(120)
abstract class UsageSamplesContract extends DatabaseContract {
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    /** 2026-11-30 and 2026-12-01 as days since the epoch. */
    private static final long NOV_30 = 20_787;
    private static final long DEC_1 = 20_788;

    private UsageService usage;
    private BillingService billing;

    UsageSamplesContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void services() {
        usage = new UsageService(transactor, Policy.defaults(), Clock.systemUTC(), Optional.empty());
        billing = new BillingService(transactor, Policy.defaults(),
                Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void reports_across_a_sample_and_a_day_boundary_and_into_one_sample_make_the_days_and_the_lines() {
        String project = newProject();
        LabelId web = data.label(project, "web", false).id();
        LabelId db = data.label(project, "db", false).id();
        RouterId r1 = new RouterId(UUID.randomUUID());
        RouterId r2 = new RouterId(UUID.randomUUID());
        // 23:58 to 00:03, two routers' rows of web summed: 11 packets, 1,001 bytes; 120 s in November's last
        // sample, 180 s in December's first: 400.4 and 600.6 bytes -> 400 and 601; 4.4 and 6.6 packets -> 4 and 7.
        // db counted nothing, in both samples.
        receive("2026-11-30T23:58:00Z", "2026-12-01T00:03:00Z",
                r1, web, project, 5, 500, r2, web, project, 6, 501, r1, db, project, 0, 0);
        // 23:55 to 23:58: all in November's last sample, with the 400 above: 1,500 bytes, 7 packets
        receive("2026-11-30T23:55:00Z", "2026-11-30T23:58:00Z", r1, web, project, 3, 1_100);

        assertThat(days(project, NOV_30, DEC_1)).containsExactly(
                Map.entry(key(project, web, NOV_30), DailySamples.builder().add(287, 1_500, 7).build()),
                Map.entry(key(project, web, DEC_1), DailySamples.builder().add(0, 601, 7).build()),
                Map.entry(key(project, db, NOV_30), DailySamples.builder().cover(287).build()),
                Map.entry(key(project, db, DEC_1), DailySamples.builder().cover(0).build()));
        // November: web's one busy sample of 8,640, 1,500 bytes = 40 bit/s; db's line of nothing
        assertThat(lines(project, NOVEMBER)).containsExactlyInAnyOrder(
                line(web, Optional.empty(), 1_500, 7, 0, 40, 30 * 288),
                line(db, Optional.empty(), 0, 0, 0, 0, 30 * 288));
        // December: 601 bytes = 16.03 bit/s
        assertThat(lines(project, DECEMBER)).containsExactlyInAnyOrder(
                line(web, Optional.empty(), 601, 7, 0, 16, 31 * 288),
                line(db, Optional.empty(), 0, 0, 0, 0, 31 * 288));
        // the two samples alone: fewer than 20, so the 95th percentile is the peak
        Statement range = billing.statement(ADMIN, new ProjectId(project), Instant.parse("2026-11-30T23:55:00Z"),
                Instant.parse("2026-12-01T00:05:00Z"));
        assertThat(range.lines()).extracting(BillingService.Line::line).containsExactlyInAnyOrder(
                line(web, Optional.empty(), 2_101, 14, 40, 40, 2),
                line(db, Optional.empty(), 0, 0, 0, 0, 2));
    }

    @Test
    void each_direction_has_its_own_days_and_its_own_line_after_the_direction_less_one() {
        String project = newProject();
        LabelId web = data.label(project, "web", false).id();
        RouterId router = new RouterId(UUID.randomUUID());
        // one report with all three: 300 bytes both ways as one (8 bit/s), 3,000 in (80 bit/s), 750 out (20 bit/s)
        receive(Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-11-30T00:05:00Z"),
                router, web, project, 1, 300, Optional.empty(),
                router, web, project, 5, 3_000, Optional.of(Direction.INGRESS),
                router, web, project, 2, 750, Optional.of(Direction.EGRESS));

        assertThat(days(project, NOV_30, NOV_30)).containsExactly(
                Map.entry(key(project, web, NOV_30), DailySamples.builder().add(0, 300, 1).build()),
                Map.entry(new SampleDayKey(new ProjectId(project), web, Optional.of(Direction.EGRESS), NOV_30),
                        DailySamples.builder().add(0, 750, 2).build()),
                Map.entry(new SampleDayKey(new ProjectId(project), web, Optional.of(Direction.INGRESS), NOV_30),
                        DailySamples.builder().add(0, 3_000, 5).build()));
        assertThat(lines(project, NOVEMBER)).containsExactly(
                line(web, Optional.empty(), 300, 1, 0, 8, 30 * 288),
                line(web, Optional.of(Direction.INGRESS), 3_000, 5, 0, 80, 30 * 288),
                line(web, Optional.of(Direction.EGRESS), 750, 2, 0, 20, 30 * 288));
    }

    @Test
    void the_lines_add_up_to_the_stored_rows_exactly() {
        String project = newProject();
        List<LabelId> labelIds = List.of(data.label(project), data.label(project));
        List<RouterId> routers = List.of(new RouterId(UUID.randomUUID()), new RouterId(UUID.randomUUID()),
                new RouterId(UUID.randomUUID()));
        Random random = new Random(17);
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        long bytes = 0;
        long packets = 0;
        for (int i = 0; i < 40; i++) {
            Instant start = from.plusSeconds(random.nextLong(91L * 86_400 - 7_200)).plusNanos(random.nextInt(1000));
            List<Object> rows = new ArrayList<>();
            for (RouterId router : routers.subList(0, 1 + random.nextInt(routers.size()))) {
                for (LabelId label : labelIds) {
                    long b = random.nextLong(10_000_000);
                    long p = random.nextLong(10_000);
                    rows.addAll(List.of(router, label, project, p, b));
                    bytes += b;
                    packets += p;
                }
            }
            receive(start, start.plusSeconds(random.nextInt(7_200)), rows.toArray());
        }

        List<Statement> periods = List.of(YearMonth.of(2026, 10), NOVEMBER, DECEMBER).stream()
                .map(month -> billing.statement(ADMIN, new ProjectId(project), Optional.of(month))).toList();
        Statement range = billing.statement(ADMIN, new ProjectId(project), from, Instant.parse("2027-01-01T00:00:00Z"));

        assertThat(periods.stream().mapToLong(UsageSamplesContract::bytes).sum()).isEqualTo(bytes);
        assertThat(periods.stream().mapToLong(UsageSamplesContract::packets).sum()).isEqualTo(packets);
        assertThat(bytes(range)).isEqualTo(bytes);
        assertThat(packets(range)).isEqualTo(packets);
    }

    @Test
    void reports_racing_for_one_sample_all_count_on_a_new_day_and_on_a_stored_one() {
        String project = newProject();
        LabelId label = data.label(project);
        int threads = 8;
        long expected = 0;
        for (int round = 0; round < 3; round++) {
            // round 0 creates the day; rounds 1 and 2 add to it
            Instant start = Instant.parse("2026-11-30T12:00:00Z").plusSeconds(60L * round);
            race(threads, thread -> receive(start, start.plusSeconds(60), new RouterId(UUID.randomUUID()), label,
                    project, 1, 1_000L + thread));
            expected += threads * 1_000L + (long) threads * (threads - 1) / 2;
        }

        assertThat(days(project, NOV_30, NOV_30)).containsExactly(Map.entry(key(project, label, NOV_30),
                DailySamples.builder().add(144, expected, 3L * threads).build()));
    }

    @Test
    void a_window_of_at_most_366_days_is_kept_and_a_longer_one_refused() {
        String project = newProject();
        LabelId label = data.label(project);
        RouterId router = new RouterId(UUID.randomUUID());
        Instant start = Instant.parse("2025-11-30T00:00:00Z");

        assertThatThrownBy(() -> receive(start, start.plus(Duration.ofDays(366)).plusNanos(1), router, label,
                project, 1, 1)).isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 366 days");
        receive(start, start.plus(Duration.ofDays(366)), router, label, project, 366 * 288, 366 * 288 * 10);

        // 2025-11-30 to 2026-11-30 inclusive, every sample 10 bytes and a packet; nothing on 2026-12-01
        assertThat(days(project, NOV_30 - 366, DEC_1)).hasSize(366)
                .containsEntry(key(project, label, NOV_30 - 365), full(10, 1))
                .containsEntry(key(project, label, NOV_30), full(10, 1))
                .doesNotContainKey(key(project, label, DEC_1));
    }

    private static DailySamples full(long bytes, long packets) {
        DailySamples.Builder day = DailySamples.builder();
        for (int k = 0; k < DailySamples.PER_DAY; k++) {
            day.add(k, bytes, packets);
        }
        return day.build();
    }

    private void race(int threads, IntConsumer work) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                int thread = i;
                results.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    work.accept(thread);
                }, pool));
            }
            start.countDown();
        }
        results.forEach(CompletableFuture::join);
    }

    private Map<SampleDayKey, DailySamples> days(String project, long firstDay, long lastDay) {
        Map<SampleDayKey, DailySamples> days = new TreeMap<>();
        transactor.inSnapshot(repos -> {
            repos.usage().forEachSampleDay(new ProjectId(project), firstDay, lastDay, days::put);
            return null;
        });
        return days;
    }

    private List<StatementLine> lines(String project, YearMonth month) {
        return billing.statement(ADMIN, new ProjectId(project), Optional.of(month)).lines().stream()
                .map(BillingService.Line::line).toList();
    }

    private static SampleDayKey key(String project, LabelId label, long day) {
        return new SampleDayKey(new ProjectId(project), label, Optional.empty(), day);
    }

    private static StatementLine line(LabelId label, Optional<Direction> direction, long bytes, long packets,
                                      long p95, long peak, long samples) {
        return new StatementLine(label, direction, bytes, packets, new BurstableRate(p95, peak, samples));
    }

    private static long bytes(Statement statement) {
        return statement.lines().stream().mapToLong(named -> named.line().bytes()).sum();
    }

    private static long packets(Statement statement) {
        return statement.lines().stream().mapToLong(named -> named.line().packets()).sum();
    }

    private void receive(String start, String end, Object... rows) {
        receive(Instant.parse(start), Instant.parse(end), rows);
    }

    /**
     * Stores a report of {@code [start, end)}: router, label, project, packets, bytes, router, …, each row
     * optionally followed by its {@code Optional<Direction>} (none: direction-less).
     */
    @SuppressWarnings("unchecked")
    private void receive(Instant start, Instant end, Object... rows) {
        Map<UsageKey, Usage> usageRows = new HashMap<>();
        Instant second = Instant.ofEpochSecond(start.getEpochSecond());
        int i = 0;
        while (i < rows.length) {
            Optional<Direction> direction = Optional.empty();
            if (i + 5 < rows.length && rows[i + 5] instanceof Optional<?> given) {
                direction = (Optional<Direction>) given;
            }
            usageRows.put(new UsageKey((RouterId) rows[i], (LabelId) rows[i + 1], new ProjectId((String) rows[i + 2]),
                    direction), Usage.of(((Number) rows[i + 3]).longValue(), ((Number) rows[i + 4]).longValue(),
                    second));
            i += i + 5 < rows.length && rows[i + 5] instanceof Optional<?> ? 6 : 5;
        }
        usage.receive(UsageContract.AGENT, new NewUsageReport("h1", new UsageReport(UUID.randomUUID(), start, end,
                usageRows)));
    }

    private static String newProject() {
        return "p-" + UUID.randomUUID();
    }
}
