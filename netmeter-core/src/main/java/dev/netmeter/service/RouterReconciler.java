package dev.netmeter.service;

import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.Transactor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the stored routers what an external source says they are: creates the new ones, updates the changed
 * ones, deletes the gone ones, in one transaction that records every touched host's change, so that agents
 * follow through the change feed as they follow API writes. Thread-safe.
 *
 * <p>A source that suddenly answers far fewer routers is more likely wrong (a service user scoped to one
 * project sees only that project's routers) than right, so a reconciliation that would delete more than
 * {@code maxRemovalShare} of the stored routers (and more than one) deletes none of them, and says why;
 * creates and updates still apply.
 */
public final class RouterReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(RouterReconciler.class);
    private static final ListQuery<RouterField> ALL =
            new ListQuery<>(Map.<RouterField, List<Object>>of(), List.of(), Optional.empty(), Optional.empty());

    private final Transactor tx;
    private final ChangeSignal changes;
    private final double maxRemovalShare;

    /**
     * @param maxRemovalShare the largest share (0 to 1) of the stored routers one reconciliation may delete;
     *     one router may always go
     */
    public RouterReconciler(Transactor tx, ChangeSignal changes, double maxRemovalShare) {
        if (!(maxRemovalShare >= 0 && maxRemovalShare <= 1)) {
            throw new IllegalArgumentException("maxRemovalShare must be from 0 to 1");
        }
        this.tx = tx;
        this.changes = changes;
        this.maxRemovalShare = maxRemovalShare;
    }

    /** What one reconciliation did. {@code removalsRefused}: routers it should have deleted and kept. */
    public record Outcome(int created, int updated, int deleted, int removalsRefused) {
        public boolean changedAnything() {
            return created + updated + deleted > 0;
        }
    }

    /** Makes the stored routers equal to {@code desired} (ids unique), within the removal limit. */
    public Outcome reconcile(List<Router> desired) {
        Map<RouterId, Router> wanted = desired.stream()
                .collect(Collectors.toMap(Router::id, Function.identity(), (first, second) -> {
                    throw new IllegalArgumentException("router %s given twice".formatted(first.id()));
                }));
        Outcome outcome = tx.inTransaction(repos -> {
            Map<RouterId, Router> stored = repos.routers().list(ALL).stream()
                    .collect(Collectors.toMap(Router::id, Function.identity()));
            Set<String> hosts = new HashSet<>();
            List<Router> created = new ArrayList<>();
            int updated = 0;
            for (Router router : wanted.values()) {
                Router current = stored.get(router.id());
                if (current == null) {
                    created.add(router);
                    hosts.add(router.host());
                } else if (!current.equals(router)) {
                    if (!current.projectId().equals(router.projectId())) {
                        repos.routers().delete(router.id());   // an update keeps the owner
                        repos.routers().insert(router);
                    } else {
                        repos.routers().update(router);
                    }
                    hosts.add(current.host());   // a moved router leaves its old host and joins its new one
                    hosts.add(router.host());
                    updated++;
                }
            }
            repos.routers().insertAll(created);
            List<Router> gone = new ArrayList<>(stored.values().stream()
                    .filter(router -> !wanted.containsKey(router.id())).toList());
            int refused = 0;
            if (gone.size() > allowedRemovals(stored.size())) {
                refused = gone.size();
                LOG.warn("the router source answered {} routers where {} are stored: {} would be deleted, more than "
                        + "the {} % that neutron.max_removal_share allows at once; none are deleted. A service user "
                        + "that sees only some projects' routers answers so; if they were really deleted, raise "
                        + "neutron.max_removal_share for one poll", wanted.size(), stored.size(), gone.size(),
                        Math.round(maxRemovalShare * 100));
                gone.clear();
            }
            for (Router router : gone) {
                repos.routers().delete(router.id());
                hosts.add(router.host());
            }
            if (!hosts.isEmpty()) {
                repos.sync().record(SyncChange.ofHosts(hosts));
            }
            return new Outcome(created.size(), updated, gone.size(), refused);
        });
        if (outcome.changedAnything()) {
            changes.committed();
            LOG.info("routers follow their source: {} created, {} updated, {} deleted", outcome.created(),
                    outcome.updated(), outcome.deleted());
        }
        return outcome;
    }

    private long allowedRemovals(int stored) {
        return Math.max(1, (long) Math.floor(stored * maxRemovalShare));
    }
}
