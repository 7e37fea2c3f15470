package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewLabel;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterUpdate;
import dev.netmeter.domain.RuleId;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.SyncRepository.Revisions;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent host's sync data (Neutron's {@code get_sync_data_metering}) and the revisions that tell it of
 * changes, on every backend: which routers and labels a host gets, which hosts a change touches, that a
 * read is one snapshot, and that it costs the same statements whatever the size.
 */
@Timeout(120)
abstract class SyncContract extends DatabaseContract {
    SyncContract(Backend backend) {
        super(backend);
    }

    @Test
    void a_host_gets_its_active_routers_their_projects_labels_and_every_shared_label() {
        Router p1Here = data.router("p1", "h1");
        Router p2Here = data.router("p2", "h1");
        data.router("p1", "h2");                        // another host
        data.router("p3", "h1", false);                 // administratively down
        LabelId p1 = data.label("p1");
        LabelId p2 = data.label("p2");
        LabelId p3 = data.label("p3");                  // its only router here is down
        LabelId p4 = data.label("p4");                  // no router here at all
        LabelId shared = data.label("p9", "everyone", true).id();
        LabelId emptyShared = data.label("p9", "empty", true).id();
        List<MeteringLabelRule> expectedRules = new ArrayList<>();
        for (LabelId label : List.of(p1, p2, p3, p4, shared)) {
            MeteringLabelRule ingress = data.rule(remote(label, INGRESS, "10.0.0.0/24"));
            MeteringLabelRule egress = data.rule(remote(label, EGRESS, true, "2001:db8::/64"));
            if (label != p3 && label != p4) {
                expectedRules.add(ingress);
                expectedRules.add(egress);
            }
        }

        HostSyncData sync = read("h1");

        assertThat(sync.routers()).containsExactlyInAnyOrder(p1Here, p2Here);
        assertThat(sync.labels()).extracting(MeteringLabel::id).containsExactlyInAnyOrder(p1, p2, shared, emptyShared);
        assertThat(sync.rules()).containsExactlyInAnyOrderElementsOf(expectedRules);
        assertThat(sync.hostRevision()).isPositive().isLessThanOrEqualTo(sync.revision());
    }

    @Test
    void a_host_without_an_active_router_gets_no_labels_not_even_shared_ones() {
        data.router("p1", "h1", false);
        LabelId shared = data.label("p9", "everyone", true).id();
        data.rule(remote(shared, INGRESS, "0.0.0.0/0"));

        HostSyncData sync = read("h1");

        assertThat(sync.routers()).isEmpty();
        assertThat(sync.labels()).isEmpty();
        assertThat(sync.rules()).isEmpty();
        assertThat(read("never-seen").routers()).isEmpty();
    }

    @Test
    void a_label_change_touches_the_hosts_of_its_projects_routers_and_a_shared_one_every_host() {
        data.router("p1", "h1");
        data.router("p1", "h2");
        data.router("p2", "h3");
        long before = revision();

        LabelId p1 = data.label("p1");
        Revisions afterLabel = changedSince(before);
        assertThat(afterLabel.hosts()).containsOnlyKeys("h1", "h2");
        assertThat(afterLabel.allHostsRevision()).isLessThanOrEqualTo(before);

        long beforeRule = afterLabel.revision();
        MeteringLabelRule rule = data.rule(remote(p1, INGRESS, "10.0.0.0/8"));
        assertThat(changedSince(beforeRule).hosts()).containsOnlyKeys("h1", "h2");

        long beforeDelete = revision();
        rules.delete(ADMIN, rule.id().toString());
        assertThat(changedSince(beforeDelete).hosts()).containsOnlyKeys("h1", "h2");

        long beforeShared = revision();
        data.label("p7", "everyone", true);
        Revisions afterShared = changedSince(beforeShared);
        assertThat(afterShared.allHostsRevision()).isEqualTo(afterShared.revision()).isGreaterThan(beforeShared);
    }

    @Test
    void a_router_change_touches_its_old_and_its_new_host_and_a_deletion_its_host() {
        Router router = data.router("p1", "h1");
        long before = revision();

        data.routers().update(ADMIN, router.id().toString(), new RouterUpdate(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("h2"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(changedSince(before).hosts()).containsOnlyKeys("h1", "h2");

        long beforeNoChange = revision();
        data.routers().update(ADMIN, router.id().toString(), new RouterUpdate(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("h2"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(revision()).as("an update that changes nothing takes no revision").isEqualTo(beforeNoChange);

        long beforeDelete = revision();
        data.routers().delete(ADMIN, router.id().toString());
        Revisions afterDelete = changedSince(beforeDelete);
        assertThat(afterDelete.hosts()).containsOnlyKeys("h2");
        assertThat(read("h2").hostRevision()).isEqualTo(afterDelete.revision());
    }

    @Test
    void revisions_only_grow_and_a_failed_write_takes_none() {
        data.router("p1", "h1");
        long before = revision();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.label("p1");
            seen.add(revision());
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates().allMatch(revision -> revision > before);

        long beforeFailure = revision();
        LabelId label = data.label("p1");
        long afterLabel = revision();
        data.rule(remote(label, INGRESS, "10.0.0.0/24"));
        long afterRule = revision();
        try {
            data.rule(remote(label, INGRESS, "10.0.0.0/25"));    // overlaps: rolled back
        } catch (RuntimeException expected) {
            // the revision it took is rolled back with it
        }
        assertThat(afterLabel).isGreaterThan(beforeFailure);
        assertThat(revision()).isEqualTo(afterRule);
    }

    /**
     * A writer creates a label with its ten rules in one transaction and deletes it in another, over and
     * over, while reads run: a read that mixed states would list the label without its rules, or rules
     * without their label. Neither may happen.
     */
    @Test
    void a_read_is_one_snapshot_never_a_label_without_its_rules_nor_a_rule_without_its_label() throws Exception {
        data.router("p1", "h1");
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int rounds = 0;
            while (writing.get()) {
                MeteringLabel label = new MeteringLabel(new LabelId(UUID.randomUUID()), new ProjectId("p1"),
                        "atomic", "", false);
                transactor.inTransaction(repos -> {
                    repos.labels().insert(label);
                    for (int i = 0; i < 10; i++) {
                        repos.rules().insert(MeteringLabelRule.of(new RuleId(UUID.randomUUID()),
                                remote(label.id(), INGRESS, "10.%d.0.0/16".formatted(i))));
                    }
                    return repos.sync().record(SyncChange.ofLabels(List.of(label)));
                });
                transactor.inTransaction(repos -> repos.labels().delete(label.id()));
                rounds++;
            }
            return rounds;
        });
        int reads = 0;
        try {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end || reads < 50) {
                HostSyncData sync = read("h1");
                Set<LabelId> listed = sync.labels().stream().map(MeteringLabel::id).collect(Collectors.toSet());
                Map<LabelId, Long> rulesPerLabel = sync.rules().stream()
                        .collect(Collectors.groupingBy(MeteringLabelRule::labelId, Collectors.counting()));
                assertThat(rulesPerLabel.keySet()).as("labels of the rules").isEqualTo(listed);
                assertThat(rulesPerLabel.values()).allMatch(count -> count == 10);
                reads++;
            }
        } finally {
            writing.set(false);
        }
        assertThat(writer.get()).as("writer rounds").isPositive();
        assertThat(reads).isGreaterThanOrEqualTo(50);
    }

    @Test
    void a_read_runs_the_same_statements_whatever_the_numbers_of_hosts_routers_labels_and_rules() {
        long small = statementsOfRead(Set.of(populate("small", 2, 3, 2)));
        long large = statementsOfRead(Set.of(populate("large", 20, 10, 10)));
        long many = statementsOfRead(IntStream.range(0, 40).mapToObj(i -> populate("many-" + i, 1, 2, 2))
                .collect(Collectors.toSet()));

        assertThat(large).isEqualTo(small).isEqualTo(many).isLessThanOrEqualTo(4);
    }

    @Test
    void a_read_for_many_hosts_gives_each_what_a_read_for_it_alone_gives() {
        Map<String, HostSyncData> alone = new java.util.HashMap<>();
        List<String> hosts = List.of("m1", "m2", "m3", "m4");
        data.router("pa", "m1");
        data.router("pb", "m1");
        data.router("pa", "m2");
        data.router("pc", "m3", false);
        for (String project : List.of("pa", "pb", "pc", "pd")) {
            LabelId label = data.label(project);
            data.rule(remote(label, INGRESS, "10.1.0.0/16"));
            data.rule(remote(label, EGRESS, "10.2.0.0/16"));
        }
        LabelId shared = data.label("pz", "everyone", true).id();
        data.rule(remote(shared, EGRESS, "0.0.0.0/0"));
        hosts.forEach(host -> alone.put(host, read(host)));

        Map<String, HostSyncData> together = transactor.inSnapshot(repos -> repos.sync().read(Set.copyOf(hosts)));

        assertThat(together).isEqualTo(alone);
        assertThat(together.get("m1").labels()).extracting(MeteringLabel::projectId)
                .extracting(ProjectId::value).containsExactlyInAnyOrder("pa", "pb", "pz");
        assertThat(together.get("m3").labels()).isEmpty();
        assertThat(together.get("m4").routers()).isEmpty();
    }

    /**
     * A host with {@code routers} routers over as many projects, each project with labels (its first one
     * shared) of {@code rulesPerLabel} rules; labels and rules are made in one bulk request each.
     */
    private String populate(String host, int routers, int labelsPerProject, int rulesPerLabel) {
        List<NewLabel> newLabels = new ArrayList<>();
        for (int r = 0; r < routers; r++) {
            String project = host + "-p" + r;
            data.router(project, host);
            for (int l = 0; l < labelsPerProject; l++) {
                newLabels.add(new NewLabel(new ProjectId(project), host + "-l" + r + "-" + l, "", l == 0));
            }
        }
        List<NewRule> newRules = new ArrayList<>();
        for (MeteringLabel label : labels.create(ADMIN, newLabels)) {
            IntStream.range(0, rulesPerLabel)
                    .forEach(i -> newRules.add(remote(label.id(), INGRESS, "10.%d.0.0/16".formatted(i))));
        }
        rules.create(ADMIN, newRules);
        return host;
    }

    private long statementsOfRead(Set<String> hosts) {
        long before = database.statementsExecuted();
        Map<String, HostSyncData> sync = transactor.inSnapshot(repos -> repos.sync().read(hosts));
        long statements = database.statementsExecuted() - before;
        assertThat(sync.values()).allMatch(host -> !host.routers().isEmpty() && !host.rules().isEmpty());
        return statements;
    }

    private HostSyncData read(String host) {
        return transactor.inSnapshot(repos -> repos.sync().read(Set.of(host))).get(host);
    }

    private long revision() {
        return transactor.inTransaction(repos -> repos.sync().revision());
    }

    private Revisions changedSince(long since) {
        return transactor.inTransaction(repos -> repos.sync().changedSince(since));
    }
}
