package dev.netmeter.domain;

import java.util.List;

/**
 * What the agent on one host needs.
 *
 * @param revision the global revision the data is as of
 * @param hostRevision the revision of the last change of this host's data (at most {@code revision})
 * @param routers the host's routers that are administratively up, by id
 * @param labels the labels that apply to at least one of them (their projects' and the shared), by id
 *     (as UUIDs)
 * @param rules the rules of those labels, in the labels' order, then by id (as UUIDs)
 */
public record HostSyncData(long revision, long hostRevision, List<Router> routers, List<MeteringLabel> labels,
                           List<MeteringLabelRule> rules) {
    public HostSyncData {
        routers = List.copyOf(routers);
        labels = List.copyOf(labels);
        rules = List.copyOf(rules);
    }
}
