package dev.netmeter.service;

import dev.netmeter.domain.Router;
import java.util.List;

/**
 * A source that knows which routers exist (Neutron, when {@code routers.source = neutron}): the port through
 * which {@link RouterFollower} reads them. Implementations must be safe to call from one thread at a time.
 */
public interface ExternalRouters {
    /** The source's name for logs, {@code /healthz} and error messages, e.g. {@code neutron}. */
    String name();

    /** The source as people name it in messages, e.g. {@code Neutron}. */
    String displayName();

    /**
     * Every router the source has that netmeter is to meter, complete: a router missing from the answer is
     * one the source no longer has.
     *
     * @throws ExternalRoutersException if the source cannot be read completely; then nothing may be concluded
     */
    List<Router> fetchAll() throws ExternalRoutersException;
}
