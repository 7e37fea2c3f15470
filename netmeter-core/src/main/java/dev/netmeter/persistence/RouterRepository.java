package dev.netmeter.persistence;

import dev.netmeter.domain.Router;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.query.ListQuery;
import dev.netmeter.domain.query.RouterField;
import java.util.List;
import java.util.Optional;

/** Stored routers. Bound to one transaction, which the caller owns; not thread-safe. */
public interface RouterRepository {
    /** Stores a new router. */
    void insert(Router router);

    /** Stores new routers, in one batch: 5,000 routers a router source brings at its first poll. */
    void insertAll(List<Router> routers);

    /** The router with this id, if it exists. */
    Optional<Router> find(RouterId id);

    /** The router with this id, locked until the transaction ends, so that an update is read-modify-write. */
    Optional<Router> lock(RouterId id);

    /** Stores {@code router} over the stored router of the same id. */
    void update(Router router);

    /** Deletes the router. Returns false if it did not exist. */
    boolean delete(RouterId id);

    /** The routers that match {@code query}, in its order. */
    List<Router> list(ListQuery<RouterField> query);
}
