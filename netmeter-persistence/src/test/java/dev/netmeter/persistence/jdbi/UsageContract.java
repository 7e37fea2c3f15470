package dev.netmeter.persistence.jdbi;

import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.error.InvalidInputException;
import dev.netmeter.domain.error.InvalidRequestException;
import dev.netmeter.domain.error.UsageReportConflictException;
import dev.netmeter.domain.error.UsageReportExpiredException;
import dev.netmeter.domain.usage.LabelTotal;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.StoredUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageFilter;
import dev.netmeter.domain.usage.UsageGranularity;
import dev.netmeter.domain.usage.UsageGroup;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.domain.usage.UsageStep;
import dev.netmeter.domain.usage.UsageWindow;
import dev.netmeter.persistence.UsagePruned;
import dev.netmeter.persistence.UsageQuery;
import dev.netmeter.persistence.UsageSum;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.service.Policy;
import dev.netmeter.service.RequestContext;
import dev.netmeter.service.UsageService;
import dev.netmeter.service.UsageService.Received;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Usage reports on every backend: stored once under their id whatever the concurrency (a replay stores
 * nothing, other content under the same id is a conflict), rows that outlive their labels, running totals,
 * each host's last report, and the sums by granularity, range, step and filter, checked against sums
 * computed here from the same rows, and scoped to what the caller may read.
 */
@Timeout(120)
abstract class UsageContract extends DatabaseContract {
    static final RequestContext AGENT = new RequestContext(new ProjectId("services"), "agent-user", Set.of("agent"));
    /** A round hour, so that steps are easy to reason about. */
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");

    private UsageService usage;

    UsageContract(Backend backend) {
        super(backend);
    }

    @BeforeEach
    void a_usage_service() {
        usage = new UsageService(transactor, Policy.defaults(), Clock.systemUTC(), Optional.empty());
    }

    @Test
    void a_report_is_stored_once_with_its_rows_and_counted_in_the_totals() {
        UsageKey key = key(newProject());
        NewUsageReport report = report("h1", Map.of(key, usage(10, 1000, 0, 240)));

        Received received = usage.receive(AGENT, report);

        assertThat(received).isEqualTo(new Received(StoredUsageReport.of(report), true));
        assertThat(totals(key)).isEqualTo(usage(10, 1000, 0, 240));
        assertThat(sum(UsageGranularity.ROUTER_LABEL, key)).containsExactly(
                new UsageStep(group(key, UsageGranularity.ROUTER_LABEL), T0, T0.plus(Duration.ofHours(1)),
                        usage(10, 1000, 0, 240)));
    }

    @Test
    void a_replay_stores_nothing_and_answers_with_the_stored_report_whatever_its_row_order() {
        String project = newProject();
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            rows.put(key(project), usage(i + 1, 100L * (i + 1), 0, 60));
        }
        NewUsageReport first = report("h1", rows);
        Map<UsageKey, Usage> reversed = new LinkedHashMap<>();
        new ArrayList<>(rows.keySet()).reversed().forEach(key -> reversed.put(key, rows.get(key)));
        NewUsageReport again = new NewUsageReport("h1", new UsageReport(first.report().id(),
                first.report().windowStart(), first.report().windowEnd(), reversed));

        Received stored = usage.receive(AGENT, first);
        Received replayed = usage.receive(AGENT, again);

        assertThat(replayed).isEqualTo(new Received(stored.report(), false));
        rows.forEach((key, counted) -> assertThat(totals(key)).isEqualTo(counted));
        assertThat(usage.usage(ADMIN, new UsageFilter(UsageGranularity.PROJECT, Set.of(), Set.of(),
                Set.of(new ProjectId(project))), hour())).extracting(UsageStep::usage)
                .containsExactly(usage(15, 1500, 0, 60));
        assertThat(usage.reportsStored()).isEqualTo(1);
        assertThat(usage.replaysReceived()).isEqualTo(1);
    }

    @Test
    void other_content_under_a_stored_id_is_a_conflict_and_changes_nothing() {
        UsageKey key = key(newProject());
        NewUsageReport first = report("h1", Map.of(key, usage(10, 1000, 0, 240)));
        usage.receive(AGENT, first);
        UsageReport window = first.report();
        List<NewUsageReport> others = List.of(
                new NewUsageReport("h2", window),
                new NewUsageReport("h1", new UsageReport(window.id(), window.windowStart().plusNanos(1),
                        window.windowEnd(), window.usage())),
                new NewUsageReport("h1", new UsageReport(window.id(), window.windowStart(), window.windowEnd(),
                        Map.of(key, usage(10, 1001, 0, 240)))),
                new NewUsageReport("h1", new UsageReport(window.id(), window.windowStart(), window.windowEnd(),
                        Map.of(new UsageKey(key.router(), key.label(), new ProjectId("p-other")),
                                usage(10, 1000, 0, 240)))),
                new NewUsageReport("h1", new UsageReport(window.id(), window.windowStart(), window.windowEnd(),
                        Map.of())));

        for (NewUsageReport other : others) {
            assertThatThrownBy(() -> usage.receive(AGENT, other)).isInstanceOf(UsageReportConflictException.class)
                    .hasMessage("Usage report %s was already received with different content.", window.id());
        }
        assertThat(totals(key)).isEqualTo(usage(10, 1000, 0, 240));
        assertThat(sum(UsageGranularity.LABEL, key)).extracting(UsageStep::usage)
                .containsExactly(usage(10, 1000, 0, 240));
    }

    @Test
    void an_empty_report_is_a_heartbeat_that_records_its_host() {
        String host = "heartbeat-" + UUID.randomUUID();
        Instant before = Instant.now().minusMillis(1);

        Received received = usage.receive(AGENT, report(host, Map.of()));

        assertThat(received.created()).isTrue();
        assertThat(received.report().rows()).isZero();
        assertThat(usage.totals(ADMIN, false).lastReports().get(host)).isBetween(before, Instant.now().plusMillis(1));
    }

    @Test
    void usage_of_routers_and_labels_that_do_not_exist_is_stored_and_summed() {
        // Neither the router nor the label was ever created here: usage outlives what it counted.
        UsageKey key = key(newProject());
        usage.receive(AGENT, report("h1", Map.of(key, usage(3, 300, 0, 10))));

        assertThat(sum(UsageGranularity.LABEL, key)).extracting(UsageStep::usage).containsExactly(usage(3, 300, 0, 10));
    }

    @Test
    void project_ids_are_stored_as_sent_whatever_their_characters() {
        // PostgreSQL stores rows through COPY's text format, where a tab, a line end and a backslash are escapes.
        String project = newProject();
        for (String id : List.of(project + "\ttab", project + "\nline", project + "\rreturn", project + "\\back\\",
                project + "\\N", project + " naïve 日本 \uD83D\uDE00")) {
            UsageKey key = new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
                    new ProjectId(id));
            usage.receive(AGENT, report("h1", Map.of(key, usage(1, 10, 0, 10))));

            assertThat(sum(UsageGranularity.PROJECT, key)).extracting(UsageStep::group)
                    .containsExactly(group(key, UsageGranularity.PROJECT));
            assertThat(totals(key)).isEqualTo(usage(1, 10, 0, 10));
        }
    }

    @RepeatedTest(10)
    void twenty_concurrent_sendings_of_one_report_store_it_once() {
        UsageKey key = key(newProject());
        NewUsageReport report = report("h-" + UUID.randomUUID(), Map.of(key, usage(7, 700, 0, 100)));

        List<Received> answers = race(20, thread -> usage.receive(AGENT, report));

        assertThat(answers).filteredOn(Received::created).hasSize(1);
        assertThat(answers).extracting(Received::report).containsOnly(StoredUsageReport.of(report));
        assertThat(totals(key)).isEqualTo(usage(7, 700, 0, 100));
    }

    /** Different hosts do not queue on one host's row: the inserts of the id race in the unique index. */
    @RepeatedTest(10)
    void concurrent_sendings_of_one_id_from_different_hosts_store_one_and_refuse_the_others() {
        UsageKey key = key(newProject());
        UUID id = UUID.randomUUID();

        List<Optional<RuntimeException>> outcomes = race(8, thread -> {
            try {
                usage.receive(AGENT, new NewUsageReport("h" + thread, new UsageReport(id, T0, T0.plusSeconds(300),
                        Map.of(key, usage(1, 10, 0, 100)))));
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(e);
            }
        });

        assertThat(outcomes).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(outcomes).filteredOn(Optional::isPresent).extracting(Optional::get)
                .allMatch(UsageReportConflictException.class::isInstance, "a conflict, not a database error");
        assertThat(totals(key)).isEqualTo(usage(1, 10, 0, 100));
    }

    @RepeatedTest(10)
    void concurrent_reports_of_one_new_key_from_different_hosts_all_count() {
        UsageKey key = key(newProject());

        List<Received> answers = race(8, thread -> usage.receive(AGENT,
                report("h" + thread + "-" + UUID.randomUUID(), Map.of(key, usage(1, 10, thread, 100 + thread)))));

        assertThat(answers).allMatch(Received::created);
        assertThat(totals(key)).isEqualTo(usage(8, 80, 0, 107));
    }

    @Test
    void steps_start_at_start_hold_rows_by_last_update_and_the_range_includes_start_but_not_end() {
        UsageKey key = key(newProject());
        // last_update at offsets 0, 59, 60, 119, 120, 180 (the end): steps of 60 s from T0.
        int[] offsets = {0, 59, 60, 119, 120, 180};
        for (int i = 0; i < offsets.length; i++) {
            usage.receive(AGENT, report("h1", Map.of(key, usage(1, 1L << i, offsets[i] - 5, offsets[i]))));
        }
        UsageWindow window = UsageWindow.of(Optional.of(T0), Optional.of(T0.plusSeconds(180)), Optional.of(60L),
                Instant.now());

        List<UsageStep> steps = usage.usage(ADMIN, filter(UsageGranularity.LABEL, key), window);

        UsageGroup group = group(key, UsageGranularity.LABEL);
        assertThat(steps).containsExactly(
                new UsageStep(group, T0, T0.plusSeconds(60), usage(2, 1 + 2, -5, 59)),
                new UsageStep(group, T0.plusSeconds(60), T0.plusSeconds(120), usage(2, 4 + 8, 55, 119)),
                new UsageStep(group, T0.plusSeconds(120), T0.plusSeconds(180), usage(1, 16, 115, 120)));
    }

    @Test
    void a_start_between_seconds_cuts_steps_there_and_the_last_step_ends_at_the_end() {
        UsageKey key = key(newProject());
        for (int offset : new int[] {0, 1, 10, 11, 20}) {
            usage.receive(AGENT, report("h1", Map.of(key, usage(1, offset, offset, offset))));
        }
        Instant start = T0.plusMillis(500);     // steps [0.5, 10.5), [10.5, 20.5), [20.5, 25)
        UsageWindow window = UsageWindow.of(Optional.of(start), Optional.of(T0.plusSeconds(25)), Optional.of(10L),
                Instant.now());

        List<UsageStep> steps = usage.usage(ADMIN, filter(UsageGranularity.ROUTER, key), window);

        assertThat(steps).extracting(UsageStep::start, UsageStep::end, step -> step.usage().bytes()).containsExactly(
                tuple(start, start.plusSeconds(10), 1L + 10),
                tuple(start.plusSeconds(10), start.plusSeconds(20), 11L + 20));
    }

    @ParameterizedTest
    @EnumSource(UsageGranularity.class)
    void sums_equal_those_computed_from_the_rows_for_every_granularity_filter_and_step(UsageGranularity granularity) {
        Random random = new Random(granularity.ordinal() * 7919L);
        String[] projects = {newProject(), newProject(), newProject()};
        List<RouterId> routers = IntStream.range(0, 3).mapToObj(i -> new RouterId(UUID.randomUUID())).toList();
        List<UsageKey> keys = new ArrayList<>();
        for (int label = 0; label < 6; label++) {
            LabelId id = new LabelId(UUID.randomUUID());
            ProjectId project = new ProjectId(projects[label % projects.length]);
            routers.stream().filter(router -> random.nextInt(3) > 0)
                    .forEach(router -> keys.add(new UsageKey(router, id, project)));
        }
        Map<UsageKey, List<Usage>> stored = new HashMap<>();
        for (int report = 0; report < 12; report++) {
            Map<UsageKey, Usage> rows = new HashMap<>();
            for (UsageKey key : keys) {
                if (random.nextInt(4) > 0) {
                    int last = random.nextInt(7200) - 600;      // some before the range
                    Usage counted = usage(random.nextInt(1000), random.nextInt(1_000_000), last - random.nextInt(300),
                            last);
                    rows.put(key, counted);
                    stored.computeIfAbsent(key, k -> new ArrayList<>()).add(counted);
                }
            }
            usage.receive(AGENT, report("h" + report % 3, rows));
        }
        UsageWindow window = UsageWindow.of(Optional.of(T0.plusMillis(250)), Optional.of(T0.plusSeconds(6000)),
                Optional.of(900L), Instant.now());
        UsageFilter everything = new UsageFilter(granularity, Set.copyOf(routers), Set.of(), Set.of());
        UsageFilter some = new UsageFilter(granularity, Set.of(routers.get(0), routers.get(1)),
                keys.stream().map(UsageKey::label).limit(5).collect(Collectors.toSet()),
                Set.of(new ProjectId(projects[0]), new ProjectId(projects[1])));

        for (UsageFilter filter : List.of(everything, some)) {
            assertThat(usage.usage(ADMIN, filter, window)).as("%s", filter).isEqualTo(expected(stored, filter, window));
        }
        UsageWindow oneStep = UsageWindow.of(Optional.of(T0), Optional.of(T0.plusSeconds(7200)), Optional.empty(),
                Instant.now());
        assertThat(usage.usage(ADMIN, everything, oneStep)).isEqualTo(expected(stored, everything, oneStep));
    }

    @Test
    void a_member_reads_the_rows_of_its_own_projects_labels_only_and_foreign_filters_match_nothing() {
        String mine = newProject();
        String theirs = newProject();
        RouterId router = new RouterId(UUID.randomUUID());
        UsageKey own = new UsageKey(router, new LabelId(UUID.randomUUID()), new ProjectId(mine));
        UsageKey foreign = new UsageKey(router, new LabelId(UUID.randomUUID()), new ProjectId(theirs));
        usage.receive(AGENT, report("h1", Map.of(own, usage(1, 100, 0, 10), foreign, usage(2, 200, 0, 10))));
        UsageWindow window = UsageWindow.of(Optional.of(T0), Optional.of(T0.plusSeconds(60)), Optional.empty(),
                Instant.now());
        UsageFilter byRouter = new UsageFilter(UsageGranularity.ROUTER, Set.of(router), Set.of(), Set.of());

        assertThat(usage.usage(ADMIN, byRouter, window)).extracting(UsageStep::usage)
                .containsExactly(usage(3, 300, 0, 10));
        assertThat(usage.usage(TestData.member(mine), byRouter, window)).extracting(UsageStep::usage)
                .containsExactly(usage(1, 100, 0, 10));
        assertThat(usage.usage(TestData.member(mine), new UsageFilter(UsageGranularity.LABEL, Set.of(),
                Set.of(foreign.label()), Set.of(new ProjectId(theirs))), window)).isEmpty();
        assertThat(usage.usage(TestData.member(newProject()), byRouter, window)).isEmpty();
        assertThat(usage.usage(AGENT, byRouter, window)).as("an agent is a member of its own project").isEmpty();
    }

    @Test
    void totals_add_up_every_stored_report_and_a_replay_adds_nothing() {
        UsageKey key = key(newProject());
        NewUsageReport first = report("h1", Map.of(key, usage(1, 10, 100, 160)));
        usage.receive(AGENT, first);
        usage.receive(AGENT, report("h2", Map.of(key, usage(2, 20, 50, 400))));
        usage.receive(AGENT, first);

        assertThat(totals(key)).isEqualTo(usage(3, 30, 50, 400));
        assertThat(List.copyOf(usage.totals(ADMIN, true).routerLabels().sequencedKeySet()))
                .isSortedAccordingTo(Comparator.comparing(UsageKey::router).thenComparing(UsageKey::label));
    }

    @Test
    void label_totals_sum_every_router_of_every_stored_report_and_a_replay_adds_nothing() {
        String project = newProject();
        LabelId label = new LabelId(UUID.randomUUID());
        UsageKey onOne = new UsageKey(new RouterId(UUID.randomUUID()), label, new ProjectId(project));
        UsageKey onTwo = new UsageKey(new RouterId(UUID.randomUUID()), label, new ProjectId(project));
        UsageKey other = key(project);
        NewUsageReport first = report("h1", Map.of(onOne, usage(1, 10, 100, 160), onTwo, usage(2, 20, 90, 150),
                other, usage(7, 70, 0, 10)));
        usage.receive(AGENT, first);
        usage.receive(AGENT, report("h2", Map.of(onTwo, usage(4, 40, 200, 400))));
        usage.receive(AGENT, first);

        List<LabelTotal> labels = usage.totals(ADMIN, false).labels();
        assertThat(labels).contains(new LabelTotal(label, new ProjectId(project), usage(7, 70, 90, 400)),
                new LabelTotal(other.label(), new ProjectId(project), usage(7, 70, 0, 10)));
        assertThat(labels).extracting(LabelTotal::label).isSorted().doesNotHaveDuplicates();
        assertThat(usage.totals(ADMIN, false).routerLabels()).as("not read unless asked for").isEmpty();
    }

    @Test
    void a_report_that_would_overflow_a_label_total_is_refused_and_nothing_of_it_is_stored() {
        UsageKey key = key(newProject());
        usage.receive(AGENT, report("h1", Map.of(key, usage(1, 100, 0, 60))));
        execute("UPDATE metering_usage_label_totals SET packets = %d WHERE label_id = '%s'"
                .formatted(Long.MAX_VALUE - 1, key.label()));
        UsageKey sameLabelElsewhere = new UsageKey(new RouterId(UUID.randomUUID()), key.label(), key.project());
        NewUsageReport overflowing = report("h1", Map.of(sameLabelElsewhere, usage(2, 100, 60, 120)));

        assertRefusedAsOverflowingAndNotStored(overflowing);
        assertThat(usage.totals(ADMIN, true).routerLabels()).doesNotContainKey(sameLabelElsewhere);
    }

    @Test
    void rows_of_one_label_that_sum_past_a_long_in_one_report_are_refused_not_an_error() {
        String project = newProject();
        LabelId label = new LabelId(UUID.randomUUID());
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        long largest = (1L << 53) - 1;     // the most a row may hold on the wire
        for (int i = 0; i <= Long.MAX_VALUE / largest; i++) {
            rows.put(new UsageKey(new RouterId(UUID.randomUUID()), label, new ProjectId(project)),
                    usage(1, largest, 0, 60));
        }
        NewUsageReport overflowing = report("h1", rows);

        assertRefusedAsOverflowingAndNotStored(overflowing);
    }

    // --- helpers ---

    private void assertRefusedAsOverflowingAndNotStored(NewUsageReport overflowing) {
        assertThatThrownBy(() -> usage.receive(AGENT, overflowing)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("would make a running total exceed 9223372036854775807");
        Optional<StoredUsageReport> stored = transactor.inTransaction(repos ->
                repos.usage().findReport(overflowing.report().id()));
        assertThat(stored).isEmpty();
    }

    private static List<UsageStep> expected(Map<UsageKey, List<Usage>> stored, UsageFilter filter, UsageWindow window) {
        Map<List<Object>, Usage> sums = new TreeMap<>(Comparator.comparing((List<Object> k) -> (Long) k.get(0))
                .thenComparing(k -> k.subList(1, k.size()).toString()));
        Map<List<Object>, UsageGroup> groups = new HashMap<>();
        stored.forEach((key, rows) -> {
            boolean selected = (filter.routers().isEmpty() || filter.routers().contains(key.router()))
                    && (filter.labels().isEmpty() || filter.labels().contains(key.label()))
                    && (filter.projects().isEmpty() || filter.projects().contains(key.project()));
            for (Usage row : rows) {
                long last = row.lastUpdate().getEpochSecond();
                if (!selected || last < window.firstSecond() || last >= window.endSecond()) {
                    continue;
                }
                UsageGroup group = group(key, filter.granularity());
                List<Object> sortKey = new ArrayList<>();
                sortKey.add((last - window.firstSecond()) / window.stepSeconds());
                for (UsageGranularity.Dimension dimension : filter.granularity().keys()) {
                    sortKey.add(switch (dimension) {
                        case ROUTER -> key.router().toString();
                        case LABEL -> key.label().toString();
                        case PROJECT -> key.project().value();
                    });
                }
                groups.put(sortKey, group);
                sums.merge(sortKey, row, (a, b) -> new Usage(a.packets() + b.packets(), a.bytes() + b.bytes(),
                        min(a.firstUpdate(), b.firstUpdate()), max(a.lastUpdate(), b.lastUpdate())));
            }
        });
        List<UsageStep> steps = new ArrayList<>();
        sums.forEach((sortKey, sum) -> {
            UsageWindow.UsageStepBounds bounds = window.bounds((Long) sortKey.get(0));
            steps.add(new UsageStep(groups.get(sortKey), bounds.start(), bounds.end(), sum));
        });
        return steps;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static UsageGroup group(UsageKey key, UsageGranularity granularity) {
        List<UsageGranularity.Dimension> keys = granularity.keys();
        return new UsageGroup(
                keys.contains(UsageGranularity.Dimension.ROUTER) ? Optional.of(key.router()) : Optional.empty(),
                keys.contains(UsageGranularity.Dimension.LABEL) ? Optional.of(key.label()) : Optional.empty(),
                keys.contains(UsageGranularity.Dimension.PROJECT) ? Optional.of(key.project()) : Optional.empty());
    }

    private static UsageFilter filter(UsageGranularity granularity, UsageKey key) {
        return new UsageFilter(granularity, Set.of(key.router()), Set.of(key.label()), Set.of());
    }

    @Test
    void reports_past_the_retention_and_its_margin_are_deleted_with_their_rows_and_later_refused_while_totals_stay() {
        Duration year = Duration.ofDays(365);
        UsageService retained = new UsageService(transactor, Policy.defaults(), Clock.fixed(T0, ZoneOffset.UTC),
                Optional.of(year));
        Instant horizon = T0.minus(year);
        UsageKey key = key(newProject());
        NewUsageReport gone = endingAt(key, horizon.minus(Duration.ofDays(35)));
        NewUsageReport justGone = endingAt(key, horizon.minus(UsageService.PRUNE_MARGIN).minusSeconds(1));
        NewUsageReport inMargin = endingAt(key, horizon.minus(UsageService.PRUNE_MARGIN).plusSeconds(1));
        NewUsageReport kept = endingAt(key, horizon.plusSeconds(1));
        List.of(gone, justGone, inMargin, kept).forEach(report -> usage.receive(AGENT, report));
        Usage totalsBefore = totals(key);

        assertThat(retained.prune()).isEqualTo(new UsagePruned(2, 2));

        assertThat(retained.prune()).isEqualTo(UsagePruned.NOTHING);
        assertThat(totals(key)).isEqualTo(totalsBefore);
        assertThat(storedPackets(key, horizon.minus(Duration.ofDays(60)), T0)).isEqualTo(4 - 2);
        assertThatThrownBy(() -> retained.receive(AGENT, gone)).isInstanceOf(UsageReportExpiredException.class)
                .hasMessageContaining(gone.report().id().toString());
        assertThatThrownBy(() -> retained.receive(AGENT, inMargin)).isInstanceOf(UsageReportExpiredException.class);
        assertThat(retained.receive(AGENT, kept).created()).isFalse();
        assertThat(totals(key)).isEqualTo(totalsBefore);
    }

    @Test
    void a_report_that_would_overflow_a_running_total_is_refused_and_nothing_of_it_is_stored() {
        UsageKey key = key(newProject());
        usage.receive(AGENT, report("h1", Map.of(key, usage(1, Long.MAX_VALUE - 50, 0, 60))));
        NewUsageReport overflowing = report("h1", Map.of(key, usage(1, 100, 60, 120)));

        assertRefusedAsOverflowingAndNotStored(overflowing);
        assertThat(totals(key).bytes()).isEqualTo(Long.MAX_VALUE - 50);
    }

    @Test
    void a_sum_past_the_largest_long_is_refused_not_an_error() {
        String project = newProject();
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        for (int i = 0; i < 2; i++) {
            rows.put(key(project), usage(1, Long.MAX_VALUE - 1, 0, 60));     // each its own router and label
        }
        usage.receive(AGENT, report("h1", rows));
        UsageFilter byProject = new UsageFilter(UsageGranularity.PROJECT, Set.of(), Set.of(),
                Set.of(new ProjectId(project)));

        assertThatThrownBy(() -> usage.usage(ADMIN, byProject, hour())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("A sum of bytes exceeds 9223372036854775807");
        assertThat(usage.usage(ADMIN, filter(UsageGranularity.ROUTER_LABEL, rows.keySet().iterator().next()), hour()))
                .as("each row alone still sums").hasSize(1);
    }

    @Test
    void a_sum_returns_at_most_its_limit_in_order() {
        String project = newProject();
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            rows.put(key(project), usage(1, 10, 0, i));     // one sum per step of a second
        }
        usage.receive(AGENT, report("h1", rows));
        UsageFilter filter = new UsageFilter(UsageGranularity.PROJECT, Set.of(), Set.of(),
                Set.of(new ProjectId(project)));
        long from = T0.getEpochSecond();

        List<UsageSum> sums = transactor.inTransaction(repos -> repos.usage().sum(
                new UsageQuery(filter, Optional.empty(), from, from + 3600, 1, 2)));

        assertThat(sums).extracting(UsageSum::step).containsExactly(0L, 1L);
    }

    @Test
    void pruning_deletes_the_oldest_reports_first_a_batch_at_a_time() {
        Instant era = T0.minus(Duration.ofDays(3_000));     // older than any other test's reports
        UsageKey key = key(newProject());
        List<NewUsageReport> reports = List.of(endingAt(key, era.plusSeconds(3)), endingAt(key, era.plusSeconds(1)),
                endingAt(key, era.plusSeconds(2)));
        reports.forEach(report -> usage.receive(AGENT, report));
        Instant before = era.plusSeconds(10);
        UsagePruned unfolded = transactor.inTransaction(repos -> repos.usage().deleteReportsEndedBefore(before, 2));
        assertThat(unfolded).as("not before their rows are in the totals").isEqualTo(UsagePruned.NOTHING);
        usage.foldTotals();

        UsagePruned first = transactor.inTransaction(repos -> repos.usage().deleteReportsEndedBefore(before, 2));

        assertThat(first).isEqualTo(new UsagePruned(2, 2));
        Optional<StoredUsageReport> newest = transactor.inTransaction(repos ->
                repos.usage().findReport(reports.get(0).report().id()));
        assertThat(newest).as("the newest is left").isPresent();
        UsagePruned second = transactor.inTransaction(repos -> repos.usage().deleteReportsEndedBefore(before, 2));
        assertThat(second).isEqualTo(new UsagePruned(1, 1));
    }

    /** A report of one row for {@code key}, its window the five minutes to {@code end}. */
    private static NewUsageReport endingAt(UsageKey key, Instant end) {
        Instant start = end.minusSeconds(300);
        return new NewUsageReport("h1", new UsageReport(UUID.randomUUID(), start, end,
                Map.of(key, new Usage(1, 100, start, start))));
    }

    /** The packets stored for {@code key} with last updates in [from, to). */
    private long storedPackets(UsageKey key, Instant from, Instant to) {
        return usage.usage(ADMIN, filter(UsageGranularity.ROUTER_LABEL, key),
                        UsageWindow.of(Optional.of(from), Optional.of(to), Optional.empty(), Instant.now()))
                .stream().mapToLong(step -> step.usage().packets()).sum();
    }

    /** The usage of {@code key} summed by {@code granularity} over the hour from {@link #T0}, in one step. */
    private List<UsageStep> sum(UsageGranularity granularity, UsageKey key) {
        return usage.usage(ADMIN, filter(granularity, key), hour());
    }

    private static UsageWindow hour() {
        return UsageWindow.of(Optional.of(T0), Optional.of(T0.plus(Duration.ofHours(1))), Optional.empty(),
                Instant.now());
    }

    @RepeatedTest(3)
    void folding_reports_into_the_router_totals_changes_no_answer_and_two_folders_add_each_report_once() {
        UsageKey key = key(newProject());
        UsageKey otherLabel = new UsageKey(key.router(), new LabelId(UUID.randomUUID()), key.project(),
                Optional.of(Direction.EGRESS));
        for (int i = 0; i < 12; i++) {
            usage.receive(AGENT, report("h1", Map.of(key, usage(1, 10, i, i + 1), otherLabel, usage(2, 20, i, i))));
        }
        Map<UsageKey, Usage> unfolded = usage.totals(ADMIN, true).routerLabels();

        List<Integer> folded = race(2, thread -> usage.foldTotals());

        assertThat(folded.stream().mapToInt(Integer::intValue).sum()).as("reports folded").isGreaterThanOrEqualTo(12);
        assertThat(usage.foldTotals()).as("none left").isZero();
        Map<UsageKey, Usage> totals = usage.totals(ADMIN, true).routerLabels();
        assertThat(totals).isEqualTo(unfolded);
        assertThat(totals.get(key)).isEqualTo(usage(12, 120, 0, 12));
        assertThat(totals.get(otherLabel)).isEqualTo(usage(24, 240, 0, 11));
    }

    private Usage totals(UsageKey key) {
        return usage.totals(ADMIN, true).routerLabels().get(key);
    }

    private static String newProject() {
        return "p-" + UUID.randomUUID();
    }

    private static UsageKey key(String project) {
        return new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()), new ProjectId(project));
    }

    /** Usage first and last seen at these offsets in seconds from {@link #T0}. */
    static Usage usage(long packets, long bytes, int firstOffset, int lastOffset) {
        return new Usage(packets, bytes, T0.plusSeconds(firstOffset), T0.plusSeconds(lastOffset));
    }

    private static NewUsageReport report(String host, Map<UsageKey, Usage> rows) {
        return new NewUsageReport(host, new UsageReport(UUID.randomUUID(), T0, T0.plusSeconds(300), rows));
    }

    /** Runs {@code work} on {@code threads} threads released at once; returns their results. */
    private static <T> List<T> race(int threads, Function<Integer, T> work) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<T>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                int thread = i;
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return work.apply(thread);
                }, pool));
            }
            start.countDown();
        }
        return results.stream().map(CompletableFuture::join).toList();
    }
}
