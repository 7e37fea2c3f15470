package dev.netmeter.persistence;

import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.ProjectId;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whose sync data a transaction changed: every host's (a shared label), the hosts of some projects'
 * routers (their labels), or some hosts (their routers). An over-estimate is harmless (an agent
 * fetches data equal to what it has); an under-estimate would leave an agent behind.
 */
public record SyncChange(boolean everyHost, Set<ProjectId> projects, Set<String> hosts) {
    public SyncChange {
        projects = Set.copyOf(Objects.requireNonNull(projects, "projects"));
        hosts = Set.copyOf(Objects.requireNonNull(hosts, "hosts"));
    }

    public static SyncChange ofEveryHost() {
        return new SyncChange(true, Set.of(), Set.of());
    }

    public static SyncChange ofProjects(Set<ProjectId> projects) {
        return new SyncChange(false, projects, Set.of());
    }

    /** A change of these labels or of their rules: a shared label applies to every router. */
    public static SyncChange ofLabels(Collection<MeteringLabel> labels) {
        if (labels.stream().anyMatch(MeteringLabel::shared)) {
            return ofEveryHost();
        }
        return ofProjects(labels.stream().map(MeteringLabel::projectId).collect(Collectors.toSet()));
    }

    public static SyncChange ofHosts(Set<String> hosts) {
        return new SyncChange(false, Set.of(), hosts);
    }
}
