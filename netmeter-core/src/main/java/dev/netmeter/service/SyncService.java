package dev.netmeter.service;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.persistence.Transactor;
import java.time.Duration;
import java.util.Optional;

/**
 * What an agent host needs: its routers with the labels and rules that apply to them (Neutron's
 * {@code get_sync_data_metering}), read in one snapshot, and a wait for the next change. Thread-safe.
 */
public final class SyncService {
    private final Policy policy;
    private final SyncFeed feed;
    private final BatchingSyncReader reader;

    public SyncService(Transactor tx, Policy policy, SyncFeed feed) {
        this.policy = policy;
        this.feed = feed;
        this.reader = new BatchingSyncReader(tx);
    }

    /** The sync data of {@code host}, as of one revision. */
    public HostSyncData read(RequestContext caller, String host) throws InterruptedException {
        policy.enforce(Policy.GET_SYNC, caller, caller.projectId());
        return reader.read(host);
    }

    /**
     * The sync data of {@code host} once it differs from revision {@code since}: at once if it already
     * does, otherwise when it changes within {@code timeout}; empty if it did not.
     */
    public Optional<HostSyncData> readChanged(RequestContext caller, String host, long since, Duration timeout)
            throws InterruptedException {
        policy.enforce(Policy.GET_SYNC, caller, caller.projectId());
        if (!feed.await(host, since, timeout)) {
            return Optional.empty();
        }
        return Optional.of(reader.read(host));
    }
}
