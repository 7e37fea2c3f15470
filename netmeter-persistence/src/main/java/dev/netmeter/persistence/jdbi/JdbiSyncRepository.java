package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.SyncRepository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Sync data and revisions over the {@code metering_sync_state} and {@code metering_host_revisions} tables.
 * Bound to one transaction's handle; not thread-safe.
 */
final class JdbiSyncRepository implements SyncRepository {
    /** The routers of the host that are up: whose labels apply, and whose projects' labels are read. */
    private static final String ACTIVE_ROUTERS =
            "metering_routers t WHERE t.host IN (<hosts>) AND t.admin_state_up = TRUE";
    private static final String APPLICABLE_LABELS = "l.shared = TRUE OR l.project_id IN (SELECT t.project_id FROM "
            + ACTIVE_ROUTERS + ")";

    private final Handle handle;

    JdbiSyncRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public long record(SyncChange change) {
        // The row lock taken here is held to the commit: revisions are handed out, and committed, in order.
        handle.createUpdate("UPDATE metering_sync_state SET revision = revision + 1 WHERE id = 1").execute();
        long revision = revision();
        if (change.everyHost()) {
            handle.createUpdate("UPDATE metering_sync_state SET all_hosts_revision = revision WHERE id = 1").execute();
        }
        if (!change.projects().isEmpty()) {
            // Two index lookups, not UPDATE … WHERE host IN (SELECT …): MariaDB runs that subquery once per
            // row of metering_host_revisions, which made every label write as slow as the number of hosts.
            List<String> hosts = handle.createQuery(
                            "SELECT DISTINCT t.host FROM metering_routers t WHERE t.project_id IN (<projects>)")
                    .bindList("projects", change.projects().stream().map(ProjectId::value).toList())
                    .mapTo(String.class)
                    .list();
            if (!hosts.isEmpty()) {
                handle.createUpdate("UPDATE metering_host_revisions SET revision = :revision WHERE host IN (<hosts>)")
                        .bind("revision", revision)
                        .bindList("hosts", hosts)
                        .execute();
            }
        }
        for (String host : change.hosts()) {
            int updated = handle.createUpdate("UPDATE metering_host_revisions SET revision = :revision "
                    + "WHERE host = :host")
                    .bind("revision", revision).bind("host", host).execute();
            if (updated == 0) {     // no race: every writer holds the revision's row lock
                handle.createUpdate("INSERT INTO metering_host_revisions (host, revision) VALUES (:host, :revision)")
                        .bind("revision", revision).bind("host", host).execute();
            }
        }
        return revision;
    }

    @Override
    public long revision() {
        return handle.createQuery("SELECT revision FROM metering_sync_state WHERE id = 1").mapTo(Long.class).one();
    }

    @Override
    public Revisions changedSince(long since) {
        record State(long revision, long allHostsRevision) {
        }
        State state = handle.createQuery("SELECT revision, all_hosts_revision FROM metering_sync_state WHERE id = 1")
                .map((rs, ctx) -> new State(rs.getLong(1), rs.getLong(2)))
                .one();
        Map<String, Long> hosts = Map.of();
        if (state.revision() > since) {
            hosts = handle.createQuery("SELECT host, revision FROM metering_host_revisions WHERE revision > :since")
                    .bind("since", since)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue);
        }
        return new Revisions(state.revision(), state.allHostsRevision(), hosts);
    }

    @Override
    public Map<String, HostSyncData> read(Set<String> hosts) {
        if (hosts.isEmpty()) {
            return Map.of();
        }
        List<String> hostList = padded(List.copyOf(hosts));
        // One row per host that has a revision, or one row of nulls beside the global revisions.
        record RevisionRow(long revision, long allHostsRevision, String host, long hostRevision) {
        }
        List<RevisionRow> rows = handle.createQuery("""
                        SELECT s.revision, s.all_hosts_revision, h.host, h.revision
                        FROM metering_sync_state s LEFT JOIN metering_host_revisions h ON h.host IN (<hosts>)
                        WHERE s.id = 1""")
                .bindList("hosts", hostList)
                .map((rs, ctx) -> new RevisionRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
                .list();
        Map<String, Long> hostRevisions = new HashMap<>();
        rows.stream().filter(row -> row.host() != null)
                .forEach(row -> hostRevisions.put(row.host(), row.hostRevision()));
        List<Router> routers = handle.createQuery("SELECT " + JdbiRouterRepository.COLUMNS + " FROM " + ACTIVE_ROUTERS
                        + " ORDER BY t.id")
                .bindList("hosts", hostList).map(JdbiRouterRepository.MAPPER).list();
        List<MeteringLabel> labels = List.of();
        List<MeteringLabelRule> rules = List.of();
        if (!routers.isEmpty()) {   // else no label applies, shared ones included
            labels = handle.createQuery("SELECT " + JdbiLabelRepository.COLUMNS + " FROM metering_labels l WHERE "
                            + APPLICABLE_LABELS)
                    .bindList("hosts", hostList).map(JdbiLabelRepository.MAPPER).list();
            // Driven by the labels (the condition is checked once per label, then the rules come by index),
            // and not sorted in SQL: sorting every rule is most of the cost on H2, which spills large sorts.
            rules = handle.createQuery("SELECT " + JdbiRuleRepository.COLUMNS + " FROM metering_labels l "
                            + "JOIN metering_label_rules r ON r.metering_label_id = l.id WHERE " + APPLICABLE_LABELS)
                    .bindList("hosts", hostList).map(JdbiRuleRepository.MAPPER).list();
        }
        return HostSyncAssembly.perHost(List.copyOf(hosts), rows.getFirst().revision(),
                rows.getFirst().allHostsRevision(), hostRevisions, routers, labels, rules);
    }

    /**
     * The hosts, repeated to the next of a few fixed list lengths: each length is its own SQL text, which
     * JDBI and the database parse and plan once and then find in their statement caches. A host named twice
     * in an {@code IN} list changes nothing.
     */
    static List<String> padded(List<String> hosts) {
        int length = 1;
        while (length < hosts.size()) {
            length *= 4;
        }
        List<String> padded = new ArrayList<>(length);
        padded.addAll(hosts);
        while (padded.size() < length) {
            padded.add(hosts.getLast());
        }
        return padded;
    }
}
