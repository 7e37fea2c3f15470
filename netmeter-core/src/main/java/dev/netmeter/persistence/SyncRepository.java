package dev.netmeter.persistence;

import dev.netmeter.domain.HostSyncData;
import java.util.Map;
import java.util.Set;

/**
 * The agents' view: sync data per host, and the revisions that tell an agent its data changed. Bound to
 * one transaction, which the caller owns; not thread-safe.
 *
 * <p>One global revision counts every change of sync data; it lives in the database, so it is never
 * reused after a restart. Each host remembers the revision of the last change that touched it, and a
 * change of a shared label touches every host at once.
 */
public interface SyncRepository {
    /**
     * Takes the next revision and records it for the hosts {@code change} touches. Locks the revision until
     * the transaction ends, so that writers of sync data commit one after another in revision order; call
     * it last in a transaction, after the rows it is about.
     */
    long record(SyncChange change);

    /** The current global revision. */
    long revision();

    /** What changed after revision {@code since}: the current revisions, and each host touched since. */
    Revisions changedSince(long since);

    /**
     * The sync data of each of {@code hosts}, in a fixed number of statements, however many hosts, routers,
     * labels and rules there are: reading for many hosts at once is how a wake-up of thousands of agents
     * stays cheap. Consistent only in a snapshot transaction ({@link Transactor#inSnapshot}).
     */
    Map<String, HostSyncData> read(Set<String> hosts);

    /**
     * @param revision the global revision
     * @param allHostsRevision the revision of the last change that touched every host
     * @param hosts each host touched after the revision asked about, with the revision of its last change
     */
    record Revisions(long revision, long allHostsRevision, Map<String, Long> hosts) {
        public Revisions {
            hosts = Map.copyOf(hosts);
        }
    }
}
