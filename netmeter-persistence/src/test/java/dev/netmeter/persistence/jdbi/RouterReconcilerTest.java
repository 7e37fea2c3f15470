package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RouterStatus;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.persistence.SyncRepository.Revisions;
import dev.netmeter.persistence.Transactor;
import dev.netmeter.service.RouterReconciler.Outcome;
import dev.netmeter.service.RouterReconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RouterReconciler} on H2: the stored routers become what the source says, in one transaction that
 * records the hosts whose sync data changed (so agents follow), and a source that suddenly answers far fewer
 * routers does not wipe them.
 */
class RouterReconcilerTest {
    private TestDatabase db;
    private Transactor tx;
    private final AtomicInteger commits = new AtomicInteger();

    @BeforeEach
    void open() {
        db = TestDatabase.create(TestDatabase.Backend.H2);
        tx = db.open().transactor();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private RouterReconciler reconciler(double maxRemovalShare) {
        return new RouterReconciler(tx, commits::incrementAndGet, maxRemovalShare);
    }

    private static Router router(String host) {
        UUID id = UUID.randomUUID();
        return new Router(new RouterId(id), new ProjectId("p1"), "r", "", true, RouterStatus.ACTIVE, host, false,
                Router.NAMESPACE_PREFIX + id, "qg-" + id.toString().substring(0, 11));
    }

    private List<Router> stored() {
        return tx.inTransaction(repos -> repos.routers().list(new ListQuery<>(Map.<RouterField, List<Object>>of(),
                List.of(), Optional.empty(), Optional.empty())));
    }

    private long revision() {
        return tx.inTransaction(repos -> repos.sync().revision());
    }

    private Map<String, Long> hostsChangedSince(long revision) {
        Revisions revisions = tx.inTransaction(repos -> repos.sync().changedSince(revision));
        return revisions.hosts();
    }

    @Test
    void creates_updates_and_deletes_so_that_the_stored_routers_are_the_sources_and_every_touched_host_changes() {
        Router staying = router("net-1");
        Router moving = router("net-1");
        Router going = router("net-2");
        RouterReconciler reconciler = reconciler(1.0);
        assertThat(reconciler.reconcile(List.of(staying, moving, going))).isEqualTo(new Outcome(3, 0, 0, 0));
        long before = revision();

        Router moved = new Router(moving.id(), moving.projectId(), "renamed", "", true, RouterStatus.ACTIVE, "net-3",
                false, moving.namespace(), moving.externalInterface());
        Router fresh = router("net-4");
        Outcome outcome = reconciler.reconcile(List.of(staying, moved, fresh));

        assertThat(outcome).isEqualTo(new Outcome(1, 1, 1, 0));
        assertThat(stored()).containsExactlyInAnyOrder(staying, moved, fresh);
        // the moved router's old and new host, the gone router's host, the new router's host; not net-5
        assertThat(hostsChangedSince(before)).containsOnlyKeys("net-1", "net-2", "net-3", "net-4");
        assertThat(commits).hasValue(2);
    }

    @Test
    void an_unchanged_answer_writes_nothing_and_wakes_no_agent() {
        List<Router> routers = List.of(router("net-1"), router("net-2"));
        RouterReconciler reconciler = reconciler(0.5);
        reconciler.reconcile(routers);
        long before = revision();

        assertThat(reconciler.reconcile(routers)).isEqualTo(new Outcome(0, 0, 0, 0));
        assertThat(revision()).isEqualTo(before);
        assertThat(commits).hasValue(1);
    }

    @Test
    void an_empty_answer_removes_nothing_when_that_is_more_than_the_share_allowed() {
        List<Router> routers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            routers.add(router("net-" + i));
        }
        RouterReconciler reconciler = reconciler(0.5);
        reconciler.reconcile(routers);

        assertThat(reconciler.reconcile(List.of())).isEqualTo(new Outcome(0, 0, 0, 10));
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(routers);
        // half of them may go at once
        assertThat(reconciler.reconcile(routers.subList(0, 5))).isEqualTo(new Outcome(0, 0, 5, 0));
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(routers.subList(0, 5));
    }

    @Test
    void creates_and_updates_apply_while_removals_are_refused() {
        Router first = router("net-1");
        Router second = router("net-1");
        Router third = router("net-1");
        RouterReconciler reconciler = reconciler(0.3);
        reconciler.reconcile(List.of(first, second, third));
        Router disabled = new Router(first.id(), first.projectId(), first.name(), "", false, RouterStatus.ACTIVE,
                first.host(), false, first.namespace(), first.externalInterface());

        assertThat(reconciler.reconcile(List.of(disabled))).isEqualTo(new Outcome(0, 1, 0, 2));
        assertThat(stored()).containsExactlyInAnyOrder(disabled, second, third);
    }

    @Test
    void the_last_router_may_always_go() {
        Router only = router("net-1");
        RouterReconciler reconciler = reconciler(0.0);
        reconciler.reconcile(List.of(only));

        assertThat(reconciler.reconcile(List.of())).isEqualTo(new Outcome(0, 0, 1, 0));
        assertThat(stored()).isEmpty();
    }

    @Test
    void a_router_given_twice_is_refused_before_anything_is_written() {
        Router twice = router("net-1");
        assertThatThrownBy(() -> reconciler(1.0).reconcile(List.of(twice, twice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
        assertThat(stored()).isEmpty();
    }
}
