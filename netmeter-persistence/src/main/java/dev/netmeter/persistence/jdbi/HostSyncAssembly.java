package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.HostSyncData;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabel;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits the rows of one read for many hosts into each host's sync data: a host gets its routers, the
 * shared labels and its routers' projects' labels, and their rules. Labels are ordered by id and rules by
 * label, then id (both as UUIDs), so that equal data gives equal answers. Objects are shared between hosts,
 * not copied. Thread-safe (stateless).
 */
final class HostSyncAssembly {
    private static final Comparator<MeteringLabel> LABELS_BY_ID = Comparator.comparing(label -> label.id().value());
    private static final Comparator<MeteringLabelRule> RULES_BY_ID = Comparator.comparing(rule -> rule.id().value());

    private HostSyncAssembly() {
    }

    static Map<String, HostSyncData> perHost(List<String> hosts, long revision, long allHostsRevision,
                                             Map<String, Long> hostRevisions, List<Router> routers,
                                             List<MeteringLabel> labels, List<MeteringLabelRule> rules) {
        Map<LabelId, List<MeteringLabelRule>> rulesByLabel = new HashMap<>();
        rules.forEach(rule -> rulesByLabel.computeIfAbsent(rule.labelId(), label -> new ArrayList<>()).add(rule));
        rulesByLabel.values().forEach(list -> list.sort(RULES_BY_ID));
        List<MeteringLabel> shared = new ArrayList<>();
        Map<ProjectId, List<MeteringLabel>> labelsByProject = new HashMap<>();
        for (MeteringLabel label : labels) {
            (label.shared() ? shared : labelsByProject.computeIfAbsent(label.projectId(), project -> new ArrayList<>()))
                    .add(label);
        }
        Map<String, List<Router>> routersByHost = new HashMap<>();
        routers.forEach(router -> routersByHost.computeIfAbsent(router.host(), host -> new ArrayList<>()).add(router));

        Map<String, HostSyncData> perHost = new HashMap<>();
        for (String host : hosts) {
            List<Router> own = routersByHost.getOrDefault(host, List.of());
            Set<ProjectId> projects = new LinkedHashSet<>();
            own.forEach(router -> projects.add(router.projectId()));
            // Each host's own labels only, not every label the batch read: a batch serves up to 1,024 hosts.
            List<MeteringLabel> applicable = new ArrayList<>();
            List<MeteringLabelRule> applicableRules = new ArrayList<>();
            if (!own.isEmpty()) {
                applicable.addAll(shared);
                projects.forEach(project -> applicable.addAll(labelsByProject.getOrDefault(project, List.of())));
                applicable.sort(LABELS_BY_ID);
                applicable.forEach(label -> applicableRules.addAll(rulesByLabel.getOrDefault(label.id(), List.of())));
            }
            long hostRevision = Math.max(allHostsRevision, hostRevisions.getOrDefault(host, 0L));
            perHost.put(host, new HostSyncData(revision, hostRevision, own, applicable, applicableRules));
        }
        return perHost;
    }
}
