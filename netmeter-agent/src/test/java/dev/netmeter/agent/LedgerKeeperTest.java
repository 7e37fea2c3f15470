package dev.netmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exactly-once rules, one method each, over a store that can be full (MeteringAgentTest has them at work). */
class LedgerKeeperTest {
    private static final ProjectId PROJECT = new ProjectId("p1");
    private static final LabelId WEB = Routers.label(1);
    private static final LabelId DNS = Routers.label(2);
    private static final RouterId R1 = new RouterId(new UUID(1, 1));
    private static final RouterId R2 = new RouterId(new UUID(1, 2));
    private static final RouterMetering WEB_AND_DNS = router(WEB, DNS);
    private static final HostSync SYNC = new HostSync(1, List.of(WEB_AND_DNS), Map.of(WEB, PROJECT, DNS, PROJECT));

    private final Fakes.Store store = new Fakes.Store();
    private final List<RouterId> stepsRun = new ArrayList<>();
    private LedgerKeeper keeper;

    @BeforeEach
    void setUp() throws IOException {
        keeper = new LedgerKeeper(store, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
        keeper.knownBeforeCreating(List.of(WEB_AND_DNS), SYNC);
        keeper.changesMade();
    }

    @Test
    void rule_1_a_step_that_deletes_counters_runs_only_once_their_reading_is_on_disk() {
        store.full = true;
        LedgerKeeper.Reading unwritten = read(5);
        assertThat(unwritten.written()).isFalse();
        assertThat(keeper.changeAfterReading(List.of(WEB_AND_DNS), unwritten, router -> Set.of(in(WEB)), this::step))
                .as("would delete DNS").isEmpty();
        assertThat(keeper.changeAfterReading(List.of(WEB_AND_DNS), unwritten, router -> Set.of(in(WEB), in(DNS)),
                this::step)).as("deletes nothing").containsExactly(WEB_AND_DNS);

        store.full = false;
        LedgerKeeper.Reading written = read(6);
        assertThat(keeper.changeAfterReading(List.of(WEB_AND_DNS), written, router -> Set.of(in(WEB)), this::step))
                .containsExactly(WEB_AND_DNS);
        assertThat(stepsRun).hasSize(2);
        assertThat(store.written.lastTotals()).as("DNS's counter deleted, its total forgotten")
                .containsOnlyKeys(key(WEB));
        assertThat(store.written.window().get(key(DNS)).packets()).isEqualTo(6);
    }

    @Test
    void rules_2_and_3_a_report_is_on_disk_before_it_can_be_sent_and_stays_until_acknowledged() {
        read(3);
        store.full = true;
        assertThat(keeper.closeWindow()).isFalse();
        assertThat(keeper.unacknowledged()).as("nothing to send: the window stays open").isEmpty();

        store.full = false;
        assertThat(keeper.closeWindow()).isTrue();
        assertThat(store.written.unacknowledged()).isEqualTo(keeper.unacknowledged()).hasSize(1);
        keeper.acknowledged(keeper.unacknowledged().getFirst().id());
        assertThat(store.written.unacknowledged()).isEmpty();
    }

    @Test
    void rule_4_a_router_is_changed_only_once_its_namespace_and_its_labels_projects_are_on_disk() {
        RouterMetering newRouter = new RouterMetering(R2, "ns-2", "qg-1", WEB_AND_DNS.labels());
        RouterMetering withNewLabel = router(WEB, DNS, Routers.label(3));
        HostSync sync = new HostSync(2, List.of(withNewLabel, newRouter), Map.of(WEB, PROJECT, DNS, PROJECT,
                Routers.label(3), PROJECT));
        store.full = true;
        assertThat(keeper.knownBeforeCreating(List.of(newRouter), sync)).isEmpty();
        assertThat(keeper.knownBeforeCreating(List.of(withNewLabel), sync)).isEmpty();
        assertThat(keeper.knownBeforeCreating(List.of(WEB_AND_DNS), sync)).containsExactly(WEB_AND_DNS);

        store.full = false;
        assertThat(keeper.knownBeforeCreating(List.of(newRouter, withNewLabel), sync)).hasSize(2);
        assertThat(store.written.projects()).containsKey(Routers.label(3));
        assertThat(store.written.tables()).containsEntry(R2, "ns-2");
    }

    @Test
    void counters_the_ledger_never_knew_of_are_taken_as_they_are_not_counted_again() {
        LabelId foreign = Routers.label(9);
        keeper.record(List.of(WEB_AND_DNS), Map.of(R1, Map.of(in(WEB), new TrafficCounter(2, 200),
                in(foreign), new TrafficCounter(50, 5_000))), Optional.of(new HostSync(1, List.of(WEB_AND_DNS),
                Map.of(WEB, PROJECT, foreign, PROJECT))));

        assertThat(keeper.ledger().window()).containsOnlyKeys(key(WEB));
        assertThat(keeper.ledger().lastTotals()).containsEntry(key(foreign),
                new TrafficCounter(50, 5_000));
    }

    /** Reads {@code packets} on each of WEB and DNS into the ledger. */
    private LedgerKeeper.Reading read(long packets) {
        return keeper.record(List.of(WEB_AND_DNS), Map.of(R1, Map.of(in(WEB), new TrafficCounter(packets, 0),
                in(DNS), new TrafficCounter(packets, 0))), Optional.of(SYNC));
    }

    private boolean step(RouterMetering router) {
        stepsRun.add(router.router());
        return true;
    }

    private static LabelCounter in(LabelId label) {
        return LabelCounter.of(label, Direction.INGRESS);
    }

    private static UsageKey key(LabelId label) {
        return new UsageKey(R1, label, PROJECT, Optional.of(Direction.INGRESS));
    }

    private static RouterMetering router(LabelId... labels) {
        return new RouterMetering(R1, "ns-1", "qg-1", List.of(labels).stream()
                .map(label -> new LabelMetering(label, List.of())).toList());
    }
}
