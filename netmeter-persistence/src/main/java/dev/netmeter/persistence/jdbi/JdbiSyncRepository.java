package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.SyncRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Sync data and revisions over the {@code metering_sync_state} and {@code metering_host_revisions} tables.
 * Bound to one transaction's handle; not thread-safe.
 */
final class JdbiSyncRepository implements SyncRepository {
    /** The routers of the host that are up: whose labels apply, and whose projects' labels are read. */
    private static final String ACTIVE_ROUTERS = "metering_routers t WHERE t.host = :host AND t.admin_state_up = TRUE";
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
        for (ProjectId project : change.projects()) {
            handle.createUpdate("""
                            UPDATE metering_host_revisions SET revision = :revision
                            WHERE host IN (SELECT t.host FROM metering_routers t WHERE t.project_id = :project)""")
                    .bind("revision", revision)
                    .bind("project", project.value())
                    .execute();
        }
        for (String host : change.hosts()) {
            int updated = handle.createUpdate("UPDATE metering_host_revisions SET revision = :revision WHERE host = :host")
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
        Map<String, Long> hosts = new HashMap<>();
        if (state.revision() > since) {
            handle.createQuery("SELECT host, revision FROM metering_host_revisions WHERE revision > :since")
                    .bind("since", since)
                    .map((rs, ctx) -> hosts.put(rs.getString(1), rs.getLong(2)))
                    .list();
        }
        return new Revisions(state.revision(), state.allHostsRevision(), hosts);
    }

    @Override
    public HostSyncData read(String host) {
        record Revision(long global, long host) {
        }
        Revision revision = handle.createQuery("""
                        SELECT s.revision, s.all_hosts_revision, h.revision
                        FROM metering_sync_state s LEFT JOIN metering_host_revisions h ON h.host = :host
                        WHERE s.id = 1""")
                .bind("host", host)
                .map((rs, ctx) -> new Revision(rs.getLong(1), Math.max(rs.getLong(2), rs.getLong(3))))
                .one();
        List<Router> routers = handle.createQuery("SELECT " + JdbiRouterRepository.COLUMNS + " FROM " + ACTIVE_ROUTERS
                        + " ORDER BY t.id")
                .bind("host", host).map(JdbiRouterRepository.MAPPER).list();
        if (routers.isEmpty()) {    // no router is up here, so no label applies, shared ones included
            return new HostSyncData(revision.global(), revision.host(), routers, List.of(), List.of());
        }
        var labels = handle.createQuery("SELECT " + JdbiLabelRepository.COLUMNS + " FROM metering_labels l WHERE "
                        + APPLICABLE_LABELS + " ORDER BY l.id")
                .bind("host", host).map(JdbiLabelRepository.MAPPER).list();
        var rules = handle.createQuery("SELECT " + JdbiRuleRepository.COLUMNS + " FROM metering_label_rules r "
                        + "JOIN metering_labels l ON l.id = r.metering_label_id WHERE " + APPLICABLE_LABELS
                        + " ORDER BY r.metering_label_id, r.id")
                .bind("host", host).map(JdbiRuleRepository.MAPPER).list();
        return new HostSyncData(revision.global(), revision.host(), routers, labels, rules);
    }
}
