package dev.netmeter.agent.server;

import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import java.util.List;
import java.util.Map;

/**
 * What the server says one agent host must meter, as of one sync revision: its routers, each with the labels
 * and rules that apply to it, and the project of every label (which usage is reported under).
 */
public record HostSync(long revision, List<RouterMetering> routers, Map<LabelId, ProjectId> labelProjects) {
    public HostSync {
        routers = List.copyOf(routers);
        labelProjects = Map.copyOf(labelProjects);
    }
}
