package dev.netmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The agent's steps over fakes of the kernel, the server and the disk: what it counts reaches the server
 * once, whatever fails in between. The agent's threads are not started; the test calls the steps the
 * threads would.
 */
class MeteringAgentTest {
    private static final ProjectId PROJECT = new ProjectId("p1");
    private static final LabelId WEB = Routers.label(1);
    private static final LabelId DNS = Routers.label(2);
    private static final RouterId R1 = new RouterId(new UUID(1, 1));
    private static final RouterId R2 = new RouterId(new UUID(1, 2));
    private static final AgentSettings SETTINGS = new AgentSettings("net-1", Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ofSeconds(30));

    private final Fakes.Kernel kernel = new Fakes.Kernel();
    private final Fakes.Server server = new Fakes.Server();
    private final Fakes.Store store = new Fakes.Store();
    private final MovingClock clock = new MovingClock();
    private MeteringAgent agent;

    @BeforeEach
    void setUp() throws IOException {
        kernel.namespaces.addAll(List.of("ns-1", "ns-2"));
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);
    }

    @Test
    void counts_are_reported_per_router_and_label_and_a_quiet_window_gives_an_empty_report() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS), router(R2, "ns-2", WEB)));
        kernel.count("ns-1", WEB, 3, 300);
        kernel.count("ns-1", DNS, 1, 80);
        kernel.count("ns-2", WEB, 5, 500);
        tick();
        kernel.count("ns-1", WEB, 2, 200);
        tick();
        agent.report();

        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(5, 500),
                key(R1, DNS), new TrafficCounter(1, 80), key(R2, WEB), new TrafficCounter(5, 500)));
        UsageReport first = server.stored.values().iterator().next();
        assertThat(first.usage().get(key(R1, WEB)).lastUpdate()).isAfter(first.usage().get(key(R1, WEB)).firstUpdate());
        assertThat(agent.ledger().unacknowledged()).isEmpty();

        agent.report();
        assertThat(server.stored).hasSize(2);
        assertThat(List.copyOf(server.stored.values()).getLast().usage()).isEmpty();
    }

    @Test
    void a_label_that_goes_is_read_a_last_time_before_its_counter_is_deleted() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", WEB, 1, 100);
        tick();
        kernel.count("ns-1", WEB, 4, 400);     // counted after the last measure
        kernel.count("ns-1", DNS, 1, 10);

        agent.synchronize(sync(2, router(R1, "ns-1", DNS)));

        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(DNS));
        assertThat(agent.ledger().lastTotals()).containsOnlyKeys(key(R1, DNS));
        agent.report();
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(5, 500),
                key(R1, DNS), new TrafficCounter(1, 10)));
    }

    @Test
    void a_label_that_goes_stops_counting_before_its_last_read_so_what_it_counted_during_the_change_is_kept() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", WEB, 3, 300);
        tick();
        kernel.duringApplies.put(in(WEB), new TrafficCounter(1, 100));     // WEB's traffic goes on while tables change

        agent.synchronize(sync(2, router(R1, "ns-1", DNS)));
        agent.report();

        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(DNS));
        assertThat(kernel.everCounted.get(in(WEB))).as("counted while the change was made").isEqualTo(
                new TrafficCounter(4, 400));
        assertThat(server.totals()).containsEntry(key(R1, WEB), kernel.everCounted.get(in(WEB)));
    }

    @Test
    void a_label_with_rules_in_both_directions_is_reported_in_a_row_per_direction() {
        agent.synchronize(sync(1, new RouterMetering(R1, "ns-1", "qg-1", List.of(bothWays(WEB)))));
        kernel.count("ns-1", in(WEB), 3, 300);
        kernel.count("ns-1", out(WEB), 2, 200);
        tick();
        agent.report();

        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB), out(WEB));
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(3, 300),
                out(WEB).on(R1, PROJECT), new TrafficCounter(2, 200)));
    }

    @Test
    void a_direction_that_loses_its_rules_stops_counting_before_its_last_read_and_its_counter_is_then_deleted() {
        agent.synchronize(sync(1, new RouterMetering(R1, "ns-1", "qg-1", List.of(bothWays(WEB)))));
        kernel.count("ns-1", out(WEB), 3, 300);
        tick();
        kernel.duringApplies.put(out(WEB), new TrafficCounter(1, 100));     // egress goes on while tables change
        kernel.duringApplies.put(in(WEB), new TrafficCounter(5, 500));

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));               // WEB keeps its ingress rule only
        tick();
        agent.report();

        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB));
        assertThat(kernel.everCounted.get(out(WEB))).as("counted while the change was made")
                .isEqualTo(new TrafficCounter(4, 400));
        assertThat(server.totals()).isEqualTo(Map.of(out(WEB).on(R1, PROJECT),
                kernel.everCounted.get(out(WEB)), key(R1, WEB), kernel.everCounted.get(in(WEB))));
    }

    /**
     * Issue 17's upgrade: an agent before it left one direction-less counter per label, which counts until the
     * apply that makes the per-direction counters switches the rules; it is read a last time after that switch,
     * reported direction-less, and only then deleted. Nothing it or the new counters counted is lost or doubled.
     */
    @Test
    void an_older_agents_direction_less_counters_are_read_a_last_time_after_the_per_direction_ones_take_over()
            throws IOException {
        LabelCounter old = LabelCounter.directionLess(WEB);
        UsageKey oldKey = old.on(R1, PROJECT);
        kernel.madeByAnOlderAgent("ns-1", Map.of(WEB, new TrafficCounter(10, 1000)));
        store.written = UsageLedger.empty(clock.instant()).knowing(Map.of(WEB, PROJECT))
                .withTables(Map.of(R1, "ns-1")).measured(Map.of(oldKey, new TrafficCounter(4, 400)), clock.instant());
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);     // upgraded in place
        kernel.duringApplies.put(old, new TrafficCounter(1, 100));     // the old rules count while tables change
        kernel.duringApplies.put(in(WEB), new TrafficCounter(2, 200));
        kernel.duringApplies.put(out(WEB), new TrafficCounter(3, 300));

        agent.synchronize(sync(2, new RouterMetering(R1, "ns-1", "qg-1", List.of(bothWays(WEB)))));
        kernel.count("ns-1", in(WEB), 5, 500);
        kernel.count("ns-1", out(WEB), 7, 700);
        tick();
        agent.report();

        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB), out(WEB));
        assertThat(kernel.calls).as("the old counter was switched off, read, then deleted: three applies")
                .containsSubsequence("read ns-1", "apply ns-1", "read ns-1", "apply ns-1");
        assertThat(server.totals()).isEqualTo(Map.of(
                oldKey, kernel.everCounted.get(old),        // its 4 packets in the old ledger's window, and after
                key(R1, WEB), kernel.everCounted.get(in(WEB)),
                out(WEB).on(R1, PROJECT), kernel.everCounted.get(out(WEB))));
        assertThat(agent.ledger().lastTotals()).doesNotContainKey(oldKey);
    }

    @Test
    void a_label_deleted_before_its_first_measure_is_counted_with_its_project() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", DNS, 2, 20);

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));   // DNS, and its project, leave the sync data
        agent.report();

        assertThat(server.totals()).isEqualTo(Map.of(key(R1, DNS), new TrafficCounter(2, 20)));
    }

    @Test
    void a_label_deleted_while_the_agent_was_down_and_never_measured_is_counted_after_the_restart()
            throws IOException {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", DNS, 2, 20);
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);     // killed before any measure

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));
        agent.report();

        assertThat(server.totals()).isEqualTo(Map.of(key(R1, DNS), new TrafficCounter(2, 20)));
    }

    @Test
    void counters_made_by_an_agent_whose_ledger_is_gone_count_from_what_they_hold_not_from_zero() throws IOException {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 100, 10_000);
        tick();
        agent.report();
        store.written = null;       // the ledger moved aside
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);

        agent.synchronize(sync(2, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", WEB, 1, 100);
        kernel.count("ns-1", DNS, 2, 200);
        tick();
        agent.report();

        assertThat(server.totals()).as("the first 100 packets once, then what came after").isEqualTo(Map.of(
                key(R1, WEB), new TrafficCounter(101, 10_100), key(R1, DNS), new TrafficCounter(2, 200)));
    }

    @Test
    void a_router_that_leaves_the_host_is_read_a_last_time_and_removed() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB)));
        kernel.count("ns-2", WEB, 7, 700);

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));

        assertThat(kernel.counters).doesNotContainKey("ns-2");
        assertThat(kernel.calls).containsSubsequence("read ns-2", "remove ns-2");
        agent.report();
        assertThat(server.totals()).containsEntry(key(R2, WEB), new TrafficCounter(7, 700));
    }

    @Test
    void a_router_that_left_while_the_agent_was_down_is_read_a_last_time_and_removed_after_the_restart()
            throws IOException {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB)));
        kernel.count("ns-2", WEB, 3, 300);
        tick();
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);     // killed
        kernel.count("ns-2", WEB, 4, 400);                                   // counted while the agent was down

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));                 // R2 left meanwhile

        assertThat(kernel.counters).doesNotContainKey("ns-2");
        assertThat(agent.ledger().tables()).isEqualTo(Map.of(R1, "ns-1"));
        agent.report();
        assertThat(server.totals()).containsEntry(key(R2, WEB), new TrafficCounter(7, 700));
    }

    @Test
    void counters_an_earlier_run_made_are_measured_before_the_first_sync_data_arrives() throws IOException {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);     // restarted; the server is slow
        kernel.count("ns-1", WEB, 2, 200);
        tick();

        assertThat(store.written.lastTotals()).containsEntry(key(R1, WEB), new TrafficCounter(2, 200));
    }

    @Test
    void a_table_whose_apply_reported_failure_but_committed_is_removed_when_its_router_leaves() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.appliesFailAfterCommitting = true;
        agent.synchronize(sync(2, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB)));
        kernel.appliesFailAfterCommitting = false;
        kernel.count("ns-2", WEB, 3, 300);

        agent.synchronize(sync(3, router(R1, "ns-1", WEB)));

        assertThat(kernel.counters).doesNotContainKey("ns-2");
        agent.report();
        assertThat(server.totals()).containsEntry(key(R2, WEB), new TrafficCounter(3, 300));
    }

    @Test
    void a_leaving_router_whose_removal_fails_is_removed_later_even_if_its_counters_went_missing() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB, DNS)));
        kernel.count("ns-2", WEB, 3, 300);
        kernel.counters.get("ns-2").remove(DNS);        // deleted behind the agent's back
        kernel.removalsFail = true;
        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));
        assertThat(kernel.counters).containsKey("ns-2");

        kernel.removalsFail = false;
        tick();

        assertThat(kernel.counters).doesNotContainKey("ns-2");
        assertThat(agent.ledger().tables()).isEqualTo(Map.of(R1, "ns-1"));
        agent.report();
        assertThat(server.totals()).containsEntry(key(R2, WEB), new TrafficCounter(3, 300));
    }

    @Test
    void with_the_disk_full_a_new_router_gets_its_table_only_once_the_ledger_knows_its_namespace() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        store.full = true;
        agent.synchronize(sync(2, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB)));
        assertThat(kernel.counters).doesNotContainKey("ns-2");

        store.full = false;
        tick();
        assertThat(kernel.counters).containsKey("ns-2");
        assertThat(store.written.tables()).isEqualTo(Map.of(R1, "ns-1", R2, "ns-2"));
    }

    @Test
    void a_namespace_that_does_not_exist_yet_is_retried_until_it_does() {
        kernel.namespaces.remove("ns-2");
        agent.synchronize(sync(1, router(R1, "ns-1", WEB), router(R2, "ns-2", WEB)));
        assertThat(kernel.counters).containsOnlyKeys("ns-1");
        tick();

        kernel.namespaces.add("ns-2");
        tick();
        kernel.count("ns-2", WEB, 2, 20);
        tick();
        agent.report();

        assertThat(server.totals()).containsEntry(key(R2, WEB), new TrafficCounter(2, 20));
    }

    @Test
    void a_namespace_recreated_behind_the_agents_back_gets_its_table_again_and_new_counts_from_zero() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 10, 1000);
        tick();

        kernel.deleteNamespace("ns-1", true);
        tick();
        assertThat(kernel.counters.get("ns-1")).as("applied again").containsOnlyKeys(in(WEB));
        kernel.count("ns-1", WEB, 20, 2000);
        tick();
        agent.report();

        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(30, 3000)));
    }

    @Test
    void a_router_whose_namespace_went_before_the_sync_said_so_is_let_go() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB), router(R2, "ns-2", DNS)));
        kernel.deleteNamespace("ns-2", false);

        agent.synchronize(sync(2, router(R1, "ns-1", WEB)));

        assertThat(agent.ledger().lastTotals()).containsOnlyKeys(key(R1, WEB));
        assertThat(agent.ledger().projects()).as("DNS's project forgotten once the data plane is as desired")
                .containsOnlyKeys(WEB);
    }

    @Test
    void a_router_that_moved_namespace_is_applied_there_only_once_it_left_the_old_one() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 3, 300);
        kernel.failingIn = "ns-1";

        agent.synchronize(sync(2, router(R1, "ns-2", WEB)));
        kernel.failingIn = null;
        assertThat(kernel.counters).as("not applied in ns-2 while ns-1 still counts").containsOnlyKeys("ns-1");
        kernel.count("ns-1", WEB, 1, 100);
        tick();
        kernel.count("ns-2", WEB, 2, 200);
        tick();
        agent.report();

        assertThat(kernel.counters).containsOnlyKeys("ns-2");
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(6, 600)));
    }

    @Test
    void a_failing_nft_is_retried_and_nothing_is_lost_meanwhile() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 1, 100);
        kernel.failure = "nft: command not found";
        tick();
        agent.synchronize(sync(2, router(R1, "ns-1", WEB, DNS)));
        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB));

        kernel.failure = null;
        tick();
        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB), in(DNS));
        agent.report();
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(1, 100)));
    }

    @Test
    void reports_wait_in_the_ledger_while_the_server_is_down_and_each_is_stored_once() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        server.down = true;
        for (int window = 0; window < 12; window++) {      // an hour of 300 s windows
            kernel.count("ns-1", WEB, 1, 100);
            tick();
            agent.report();
        }
        assertThat(server.stored).isEmpty();
        assertThat(agent.ledger().unacknowledged()).as("the first window; the rest stays open").hasSize(1);
        assertThat(agent.ledger().window().get(key(R1, WEB)).packets()).isEqualTo(11);

        server.down = false;
        server.losesAnswers = true;     // stored, but the agent never hears so: it sends them again
        tick();
        agent.report();         // still no answer heard: the window stays open
        server.losesAnswers = false;
        tick();
        agent.report();

        assertThat(agent.ledger().unacknowledged()).isEmpty();
        assertThat(server.stored).hasSize(2);
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(12, 1200)));
    }

    @Test
    void reports_a_previous_run_left_unacknowledged_are_sent_at_the_first_measure() throws IOException {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 4, 400);
        tick();
        server.down = true;
        agent.report();
        server.down = false;

        agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);     // restarted
        tick();

        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(4, 400)));
        assertThat(agent.ledger().unacknowledged()).isEmpty();
    }

    @Test
    void each_acknowledged_report_is_one_line_at_info_and_a_refused_token_says_how_to_get_a_good_one() {
        Logger log = (Logger) LoggerFactory.getLogger(MeteringAgent.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try {
            agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
            kernel.count("ns-1", WEB, 3, 300);
            kernel.count("ns-1", DNS, 1, 80);
            tick();
            agent.report();
            UsageReport stored = server.stored.values().iterator().next();
            assertThat(lines.list).filteredOn(line -> line.getLevel() == Level.INFO)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsOnlyOnce("usage report %s acknowledged (201 stored): 2 row(s), 4 packet(s), 380 byte(s) "
                            .formatted(stored.id()) + "from %s to %s"
                            .formatted(stored.windowStart(), stored.windowEnd()));

            server.refusesToken = true;
            kernel.count("ns-1", WEB, 1, 100);
            tick();
            agent.report();
            assertThat(lines.list).filteredOn(line -> line.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                    .contains("the server refuses this agent's token (POST /v2.0/metering/usage_reports answered 401)")
                    .contains("'netmeter token create --project services --user agent-net-1 --role agent'");
            assertThat(agent.ledger().unacknowledged()).as("kept until a good token is given").hasSize(1);
        } finally {
            log.detachAppender(lines);
        }
    }

    @Test
    void a_report_the_server_refuses_is_dropped_rather_than_blocking_the_others() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        kernel.count("ns-1", WEB, 1, 100);
        tick();
        server.rejects = true;
        agent.report();
        assertThat(agent.ledger().unacknowledged()).isEmpty();

        server.rejects = false;
        kernel.count("ns-1", WEB, 2, 200);
        tick();
        agent.report();
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(2, 200)));
    }

    @Test
    void with_the_disk_full_counters_are_kept_and_reports_held_back_until_the_ledger_can_be_written() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB, DNS)));
        kernel.count("ns-1", WEB, 3, 300);
        store.full = true;
        tick();
        agent.report();
        agent.synchronize(sync(2, router(R1, "ns-1", DNS)));

        assertThat(server.submissions).isZero();
        assertThat(kernel.counters.get("ns-1")).as("WEB's counter is kept: its count is on no disk")
                .containsOnlyKeys(in(WEB), in(DNS));

        store.full = false;
        tick();
        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(DNS));
        agent.report();
        assertThat(server.totals()).isEqualTo(Map.of(key(R1, WEB), new TrafficCounter(3, 300)));
    }

    @Test
    void with_the_disk_full_a_new_label_gets_its_counter_only_once_the_ledger_knows_its_project() {
        agent.synchronize(sync(1, router(R1, "ns-1", WEB)));
        store.full = true;
        agent.synchronize(sync(2, router(R1, "ns-1", WEB, DNS)));
        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB));

        store.full = false;
        tick();
        assertThat(kernel.counters.get("ns-1")).containsOnlyKeys(in(WEB), in(DNS));
        assertThat(store.written.projects()).containsOnlyKeys(WEB, DNS);
    }

    @Test
    void random_crashes_restarts_outages_and_rule_changes_report_every_packet_exactly_once() throws IOException {
        Random random = new Random(7);
        Map<UsageKey, TrafficCounter> sent = new java.util.HashMap<>();
        for (int step = 0; step < 2_000; step++) {
            switch (random.nextInt(10)) {
                case 0 -> agent = new MeteringAgent(SETTINGS, server, kernel, store, clock);    // killed, restarted
                case 1 -> agent.report();
                case 2 -> server.down = !server.down;
                case 3 -> store.full = random.nextInt(4) == 0;
                case 4 -> {     // R2 comes and goes, at times while the agent is down
                    RouterMetering r1 = router(R1, "ns-1", random.nextBoolean() ? new LabelId[] {WEB, DNS}
                            : new LabelId[] {WEB});
                    agent.synchronize(random.nextBoolean() ? sync(step, r1) : sync(step, r1, router(R2, "ns-2", DNS)));
                }
                case 5 -> tick();
                default -> {     // traffic, measured or not before the next change
                    for (Map.Entry<RouterId, String> router : Map.of(R1, "ns-1", R2, "ns-2").entrySet()) {
                        for (LabelCounter counter : kernel.counters.getOrDefault(router.getValue(), Map.of())
                                .keySet()) {
                            int packets = random.nextInt(5);
                            kernel.count(router.getValue(), counter, packets, packets * 100L);
                            sent.merge(counter.on(router.getKey(), PROJECT),
                                    new TrafficCounter(packets, packets * 100L),
                                    (a, b) -> new TrafficCounter(a.packets() + b.packets(), a.bytes() + b.bytes()));
                        }
                    }
                }
            }
        }
        server.down = false;
        store.full = false;
        agent.synchronize(sync(9_999, router(R1, "ns-1")));     // every counter read a last time and deleted
        agent.report();

        assertThat(kernel.counters).as("R2's table removed").doesNotContainKey("ns-2");
        Map<UsageKey, TrafficCounter> expected = new java.util.HashMap<>(sent);
        expected.values().removeIf(counter -> counter.packets() == 0);
        assertThat(server.totals()).isEqualTo(expected);
        assertThat(server.stored.size()).as("reports").isGreaterThan(50);
    }

    private void tick() {
        clock.advance(SETTINGS.measureInterval());
        agent.measureAndRetry();
    }

    private static LabelCounter in(LabelId label) {
        return LabelCounter.of(label, Direction.INGRESS);
    }

    private static LabelCounter out(LabelId label) {
        return LabelCounter.of(label, Direction.EGRESS);
    }

    /** {@code label} with an ingress and an egress rule. */
    private static LabelMetering bothWays(LabelId label) {
        return new LabelMetering(label, List.of(Routers.remote(label, Direction.INGRESS, false, "10.0.0.0/8"),
                Routers.remote(label, Direction.EGRESS, false, "10.0.0.0/8")));
    }

    private static UsageKey key(RouterId router, LabelId label) {
        return new UsageKey(router, label, PROJECT, Optional.of(Direction.INGRESS));
    }

    private static RouterMetering router(RouterId id, String namespace, LabelId... labels) {
        return new RouterMetering(id, namespace, "qg-1", java.util.Arrays.stream(labels)
                .map(label -> new LabelMetering(label, List.of(Routers.remote(label, Direction.INGRESS, false,
                        "10.0.0.0/8")))).toList());
    }

    /** The host's sync data; like the server's, it knows the projects of the labels on its routers only. */
    private static HostSync sync(long revision, RouterMetering... routers) {
        Map<LabelId, ProjectId> projects = new java.util.HashMap<>();
        for (RouterMetering router : routers) {
            router.labels().forEach(label -> projects.put(label.label(), PROJECT));
        }
        return new HostSync(revision, List.of(routers), projects);
    }

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T20:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
