package dev.netmeter.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.NewUsageReport;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage gathered from monotonic counters into report windows, and kept exactly once across crashes. */
class UsageLedgerTest {
    private static final UsageKey WEB = new UsageKey(new RouterId(new UUID(1, 1)), new LabelId(new UUID(2, 1)),
            new ProjectId("p1"), Optional.of(Direction.INGRESS));
    private static final UsageKey DNS = new UsageKey(new RouterId(new UUID(1, 1)), new LabelId(new UUID(2, 2)),
            new ProjectId("p1"), Optional.of(Direction.INGRESS));
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void deltas_join_the_window_with_when_traffic_was_first_and_last_seen() {
        UsageLedger ledger = UsageLedger.empty(T0)
                .measured(Map.of(WEB, new TrafficCounter(10, 1000)), T0.plusSeconds(30))
                .measured(Map.of(WEB, new TrafficCounter(10, 1000), DNS, new TrafficCounter(1, 80)), T0.plusSeconds(60))
                .measured(Map.of(WEB, new TrafficCounter(15, 1600)), T0.plusSeconds(90));

        assertThat(ledger.window()).isEqualTo(Map.of(
                WEB, new Usage(15, 1600, T0.plusSeconds(30), T0.plusSeconds(90)),
                DNS, new Usage(1, 80, T0.plusSeconds(60), T0.plusSeconds(60))));
    }

    @Test
    void a_counter_that_went_down_was_recreated_and_all_it_holds_is_new() {
        UsageLedger ledger = UsageLedger.empty(T0)
                .measured(Map.of(WEB, new TrafficCounter(100, 10_000)), T0.plusSeconds(30))
                .measured(Map.of(WEB, new TrafficCounter(3, 300)), T0.plusSeconds(60));

        assertThat(ledger.window().get(WEB)).isEqualTo(new Usage(103, 10_300, T0.plusSeconds(30), T0.plusSeconds(60)));
    }

    @Test
    void a_report_closes_the_window_keeps_its_id_until_acknowledged_and_an_empty_window_makes_an_empty_report() {
        UUID first = new UUID(9, 1);
        UsageLedger reported = UsageLedger.empty(T0)
                .measured(Map.of(WEB, new TrafficCounter(5, 500)), T0.plusSeconds(30))
                .reported(first, T0.plusSeconds(300));

        assertThat(reported.unacknowledged()).containsExactly(new UsageReport(first, T0, T0.plusSeconds(300),
                Map.of(WEB, new Usage(5, 500, T0.plusSeconds(30), T0.plusSeconds(30)))));
        assertThat(reported.window()).isEmpty();
        assertThat(reported.windowStart()).isEqualTo(T0.plusSeconds(300));
        UsageLedger nothingNew = reported.reported(new UUID(9, 2), T0.plusSeconds(600));
        assertThat(nothingNew.unacknowledged()).extracting(UsageReport::id).containsExactly(first, new UUID(9, 2));
        assertThat(nothingNew.unacknowledged().getLast().usage()).isEmpty();
        assertThat(nothingNew.acknowledged(first).unacknowledged()).extracting(UsageReport::id)
                .containsExactly(new UUID(9, 2));
    }

    @Test
    void projects_are_forgotten_only_for_labels_neither_named_nor_holding_totals() {
        LabelId counted = new LabelId(new UUID(5, 1));
        LabelId named = new LabelId(new UUID(5, 2));
        LabelId gone = new LabelId(new UUID(5, 3));
        ProjectId project = new ProjectId("p9");
        UsageLedger ledger = UsageLedger.empty(T0).knowing(Map.of(counted, project, named, project, gone, project))
                .measured(Map.of(new UsageKey(WEB.router(), counted, project, Optional.of(Direction.INGRESS)),
                        new TrafficCounter(1, 10)), T0);

        assertThat(ledger.knowingOnly(Set.of(named)).projects()).containsOnlyKeys(counted, named);
        assertThat(ledger.knowingOnly(Set.of(named, gone))).as("nothing to forget").isSameAs(ledger);
        assertThat(ledger.knowing(Map.of(gone, new ProjectId("p8"))).projects())
                .containsEntry(gone, new ProjectId("p8"));
    }

    @Test
    void tables_are_kept_through_measures_and_reports_until_removed() {
        RouterId moved = new RouterId(new UUID(6, 1));
        UsageLedger ledger = UsageLedger.empty(T0).withTables(Map.of(WEB.router(), "ns-1", moved, "ns-2"))
                .withTables(Map.of(moved, "ns-3"))
                .measured(Map.of(WEB, new TrafficCounter(1, 10)), T0.plusSeconds(30))
                .reported(new UUID(1, 1), T0.plusSeconds(60));

        assertThat(ledger.tables()).isEqualTo(Map.of(WEB.router(), "ns-1", moved, "ns-3"));
        assertThat(ledger.withoutTables(List.of(moved)).tables()).isEqualTo(Map.of(WEB.router(), "ns-1"));
    }

    @Test
    void a_clock_that_goes_back_neither_breaks_a_window_nor_loses_its_usage() {
        UsageLedger ledger = UsageLedger.empty(T0)
                .measured(Map.of(WEB, new TrafficCounter(1, 10)), T0.plusSeconds(60))
                .measured(Map.of(WEB, new TrafficCounter(3, 30)), T0.minusSeconds(3600))    // NTP stepped back
                .reported(new UUID(3, 3), T0.minusSeconds(3500));

        UsageReport report = ledger.unacknowledged().getFirst();
        assertThat(report.windowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(report.usage().get(WEB)).isEqualTo(new Usage(3, 30, T0.plusSeconds(60), T0.plusSeconds(60)));
        assertThat(ledger.windowStart()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void a_window_larger_than_the_server_takes_is_cut_into_reports_that_hold_it_all_once() {
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        for (int i = 0; i <= NewUsageReport.MAX_ROWS; i++) {
            totals.put(new UsageKey(new RouterId(new UUID(3, i)), new LabelId(new UUID(4, i)), new ProjectId("p"),
                            Optional.of(Direction.INGRESS)),
                    new TrafficCounter(1, 10));
        }
        UUID id = new UUID(9, 9);
        UsageLedger ledger = UsageLedger.empty(T0).measured(totals, T0.plusSeconds(30));

        List<UsageReport> reports = ledger.reported(id, T0.plusSeconds(300)).unacknowledged();

        assertThat(reports).hasSize(2);
        assertThat(reports.getFirst().id()).isEqualTo(id);
        assertThat(reports).allSatisfy(report -> assertThat(report.usage()).hasSizeLessThanOrEqualTo(
                NewUsageReport.MAX_ROWS));
        Map<UsageKey, Usage> together = new HashMap<>(reports.get(0).usage());
        together.putAll(reports.get(1).usage());
        assertThat(together).isEqualTo(ledger.window());
        assertThat(ledger.reported(id, T0.plusSeconds(300)).unacknowledged()).extracting(UsageReport::id)
                .as("the same window and id give the same report ids").containsExactlyElementsOf(
                        reports.stream().map(UsageReport::id).toList());
    }

    /**
     * Kernel counters grow at random; the agent measures, reports and writes its ledger, and is killed at
     * random points (losing whatever it had not written). Everything it ever reported adds up to exactly
     * what the counters counted.
     */
    @Test
    void an_agent_killed_at_any_point_reports_every_packet_exactly_once(@TempDir Path directory) throws IOException {
        Random random = new Random(7);
        LedgerFile file = new LedgerFile(directory.resolve("ledger.json"));
        Map<UsageKey, TrafficCounter> kernel = new java.util.HashMap<>(Map.of(WEB, TrafficCounter.ZERO,
                DNS, TrafficCounter.ZERO));
        List<UsageReport> delivered = new ArrayList<>();
        Instant now = T0;
        UsageLedger ledger = file.read(now);
        for (int step = 0; step < 2_000; step++) {
            now = now.plusSeconds(30);
            kernel.replaceAll((key, total) -> new TrafficCounter(total.packets() + random.nextInt(5),
                    total.bytes() + random.nextInt(500)));
            ledger = ledger.measured(Map.copyOf(kernel), now);
            if (random.nextInt(3) > 0) {
                file.write(ledger);
            }
            if (step % 10 == 9) {
                ledger = ledger.reported(UUID.randomUUID(), now);
                file.write(ledger);
                for (UsageReport report : ledger.unacknowledged()) {
                    if (random.nextInt(4) > 0) {     // the server is sometimes unreachable: the report waits
                        if (delivered.stream().noneMatch(sent -> sent.id().equals(report.id()))) {
                            delivered.add(report);   // the server stores a report id once
                        }
                        ledger = ledger.acknowledged(report.id());
                    }
                }
            }
            if (random.nextInt(50) == 0) {
                ledger = file.read(now);             // killed: start again from what is on disk
            }
        }
        ledger = ledger.measured(Map.copyOf(kernel), now).reported(UUID.randomUUID(), now);
        delivered.addAll(ledger.unacknowledged().stream()
                .filter(report -> delivered.stream().noneMatch(sent -> sent.id().equals(report.id()))).toList());

        for (UsageKey key : kernel.keySet()) {
            long packets = delivered.stream().mapToLong(report -> report.usage().getOrDefault(key,
                    new Usage(0, 0, T0, T0)).packets()).sum();
            long bytes = delivered.stream().mapToLong(report -> report.usage().getOrDefault(key,
                    new Usage(0, 0, T0, T0)).bytes()).sum();
            assertThat(new TrafficCounter(packets, bytes)).as("%s", key).isEqualTo(kernel.get(key));
        }
    }
}
