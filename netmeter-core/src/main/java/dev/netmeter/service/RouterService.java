package dev.netmeter.service;

import dev.netmeter.domain.NewRouter;
import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RouterUpdate;
import dev.netmeter.domain.error.RouterNotFoundException;
import dev.netmeter.domain.error.RoutersFollowExternalSourceException;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import dev.netmeter.persistence.Repositories;
import dev.netmeter.persistence.SyncChange;
import dev.netmeter.persistence.Transactor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Creating, reading, listing, updating and deleting routers. Every write records which hosts' sync data
 * it changed, in its own transaction. Thread-safe; holds no per-request state.
 */
public final class RouterService {
    private final Transactor tx;
    private final Policy policy;
    private final Supplier<UUID> ids;
    private final ChangeSignal changes;
    private final Optional<ExternalRouters> followed;

    /** Routers kept through this API ({@code routers.source = api}). */
    public RouterService(Transactor tx, Policy policy, Supplier<UUID> ids, ChangeSignal changes) {
        this(tx, policy, ids, changes, Optional.empty());
    }

    /**
     * @param followed the external source routers follow, if any: then this API only reads them, and
     *     create, update and delete are refused (409) after the caller's other checks
     */
    public RouterService(Transactor tx, Policy policy, Supplier<UUID> ids, ChangeSignal changes,
                         Optional<ExternalRouters> followed) {
        this.tx = tx;
        this.policy = policy;
        this.ids = ids;
        this.changes = changes;
        this.followed = followed;
    }

    /** Creates all of {@code routers} in one transaction, or none of them. */
    public List<Router> create(RequestContext caller, List<NewRouter> routers) {
        routers.forEach(router -> policy.enforce(Policy.CREATE_ROUTER, caller, router.projectId()));
        refuseIfFollowing();
        List<Router> created = tx.inTransaction(repos -> {
            List<Router> stored = routers.stream().map(router -> {
                Router toStore = Router.of(new RouterId(ids.get()), router);
                repos.routers().insert(toStore);
                return toStore;
            }).toList();
            repos.sync().record(SyncChange.ofHosts(stored.stream().map(Router::host).collect(Collectors.toSet())));
            return stored;
        });
        changes.committed();
        return created;
    }

    /**
     * The router with id {@code id} (as the client wrote it).
     *
     * @throws RouterNotFoundException if there is none, or the caller may not see it
     */
    public Router get(RequestContext caller, String id) {
        return tx.inTransaction(repos -> requireVisible(repos, caller, id, false));
    }

    /** The routers the caller may see that match {@code query}. */
    public List<Router> list(RequestContext caller, ListQuery<RouterField> query) {
        return policy.scoped(Policy.GET_ROUTER, caller, query)
                .map(scoped -> tx.inTransaction(repos -> repos.routers().list(scoped)))
                .orElse(List.of());
    }

    /** Applies {@code update} and returns the router as stored. A router the caller cannot see is not found. */
    public Router update(RequestContext caller, String id, RouterUpdate update) {
        Router updated = tx.inTransaction(repos -> {
            Router current = requireVisible(repos, caller, id, true);
            policy.enforce(Policy.UPDATE_ROUTER, caller, current.projectId());
            refuseIfFollowing();
            Router next = current.with(update);
            if (!next.equals(current)) {
                repos.routers().update(next);
                // Its old host loses it and its new one gains it; usually they are the same host.
                repos.sync().record(SyncChange.ofHosts(Stream.of(current.host(), next.host())
                        .collect(Collectors.toSet())));
            }
            return next;
        });
        changes.committed();
        return updated;
    }

    /** Deletes the router. A router the caller cannot see is not found (404), not forbidden. */
    public void delete(RequestContext caller, String id) {
        tx.inTransaction(repos -> {
            Router router = requireVisible(repos, caller, id, true);
            policy.enforce(Policy.DELETE_ROUTER, caller, router.projectId());
            refuseIfFollowing();
            repos.routers().delete(router.id());
            repos.sync().record(SyncChange.ofHosts(Set.of(router.host())));
            return null;
        });
        changes.committed();
    }

    /** A router that follows an external source changes there; a change made here would be undone. */
    private void refuseIfFollowing() {
        followed.ifPresent(source -> {
            throw new RoutersFollowExternalSourceException(source.displayName(), source.name());
        });
    }

    private Router requireVisible(Repositories repos, RequestContext caller, String id, boolean lock) {
        return RouterId.parse(id)
                .flatMap(routerId -> lock ? repos.routers().lock(routerId) : repos.routers().find(routerId))
                .filter(router -> policy.allows(Policy.GET_ROUTER, caller, router.projectId()))
                .orElseThrow(() -> new RouterNotFoundException(id));
    }
}
