package dev.netmeter.server;

import static dev.netmeter.server.UsageApiContract.USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.server.HostSync;
import dev.netmeter.agent.server.HttpServerClient;
import dev.netmeter.agent.server.ServerClient;
import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.RuleId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import dev.netmeter.server.ApiClient.Caller;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The wire contract between the two sides, over HTTP: what the server writes as sync data, the agent's client
 * reads as the same routers, labels and rules; what the client writes as a usage report, the server stores as the
 * same counts. The documents' own rules (required fields, types) are {@code WireContractTest}'s.
 */
class AgentWireContractTest extends HttpContract {
    private static final String ROUTERS = "/v2.0/metering/routers";

    @Override
    Backend backend() {
        return Backend.H2;
    }

    @Test
    void the_sync_data_the_server_writes_is_what_the_agent_reads() throws Exception {
        String host = "host-" + newProject().substring(0, 12);
        String project = newProject();
        JsonNode router = api.post(ROUTERS, Caller.ADMIN, body("router", "project_id", project, "host", host,
                "external_interface", "qg-wire")).json().path("router");
        String label = createLabel(project, "web");
        String shared = api.post(ApiClient.LABELS, Caller.ADMIN, body("metering_label", "name", "all",
                "shared", true)).json().path("metering_label").path("id").asText();
        String remote = createRule(label, "egress", "10.0.0.0/24");
        String sourceAndDestination = createRule(body("metering_label_rule", "metering_label_id", label,
                "direction", "ingress", "excluded", true, "source_ip_prefix", "2001:db8::/64",
                "destination_ip_prefix", "2001:db8:1::/96"));
        String everywhere = createRule(shared, "ingress", "0.0.0.0/0");

        HostSync sync = client(host).sync(Optional.empty(), Duration.ofSeconds(1)).orElseThrow();

        LabelId labelId = LabelId.parse(label).orElseThrow();
        LabelId sharedId = LabelId.parse(shared).orElseThrow();
        assertThat(sync.routers()).containsExactly(new RouterMetering(
                RouterId.parse(router.path("id").asText()).orElseThrow(), router.path("namespace").asText(),
                "qg-wire", List.of(
                        new LabelMetering(labelId, List.of(
                                rule(remote, labelId, Direction.EGRESS, false, cidr("remote_ip_prefix", "10.0.0.0/24"),
                                        Optional.empty(), Optional.empty()),
                                rule(sourceAndDestination, labelId, Direction.INGRESS, true, Optional.empty(),
                                        cidr("source_ip_prefix", "2001:db8::/64"),
                                        cidr("destination_ip_prefix", "2001:db8:1::/96")))
                                .stream().sorted(Comparator.comparing(rule -> rule.id().toString()))
                                .toList()),
                        new LabelMetering(sharedId, List.of(rule(everywhere, sharedId, Direction.INGRESS,
                                false, cidr("remote_ip_prefix", "0.0.0.0/0"), Optional.empty(), Optional.empty()))))));
        assertThat(sync.labelProjects()).containsEntry(labelId, new ProjectId(project))
                .containsEntry(sharedId, new ProjectId(Caller.ADMIN.project()));
        assertThat(sync.revision()).isEqualTo(api.get("/v2.0/metering/sync?host=" + host, Caller.ADMIN).json()
                .path("sync").path("revision").asLong());
    }

    @Test
    void the_usage_report_the_agent_writes_is_what_the_server_stores() throws Exception {
        String project = newProject();
        Instant start = Instant.parse("2026-11-23T20:00:00Z");
        // A label counted per direction, and beside it its older agent's direction-less counter's last count
        // (issue 17's upgrade); another label counted without a direction.
        UsageKey first = new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()),
                new ProjectId(project), Optional.empty());
        UsageKey firstIn = new UsageKey(first.router(), first.label(), first.project(), Optional.of(Direction.INGRESS));
        UsageKey firstOut = new UsageKey(first.router(), first.label(), first.project(), Optional.of(Direction.EGRESS));
        UsageKey second = new UsageKey(first.router(), new LabelId(UUID.randomUUID()), new ProjectId(project));
        UsageReport report = new UsageReport(UUID.randomUUID(), start, start.plusMillis(300_123), Map.of(
                first, new Usage(3, 300, start.plusSeconds(30), start.plusSeconds(270)),
                firstIn, new Usage(4, 400, start.plusSeconds(60), start.plusSeconds(90)),
                firstOut, new Usage(5, 500, start.plusSeconds(60), start.plusSeconds(120)),
                second, new Usage(9_007_199_254_740_991L, 1, start.plusSeconds(1), start.plusSeconds(1))));
        ServerClient client = client("net-wire");

        assertThat(client.submit(report)).isEqualTo(ServerClient.Acknowledgement.STORED);
        // The same content: the server read the values it stored the first time.
        assertThat(client.submit(report)).isEqualTo(ServerClient.Acknowledgement.ALREADY_STORED);

        var rows = items(api.get(USAGE + "?granularity=router_label&split=direction&project_id=" + project
                + "&start=2026-11-23T20:00:00Z&end=2026-11-23T21:00:00Z", Caller.ADMIN), "usage");
        assertThat(rows).hasSize(4);
        for (JsonNode row : rows) {
            UsageKey key = new UsageKey(RouterId.parse(row.path("router_id").asText()).orElseThrow(),
                    LabelId.parse(row.path("label_id").asText()).orElseThrow(),
                    new ProjectId(row.path("project_id").asText()),
                    Direction.fromWire(row.path("direction").asText(null)));
            Usage sent = report.usage().get(key);
            assertThat(sent).as("%s", row).isNotNull();
            assertThat(new Usage(row.path("pkts").asLong(), row.path("bytes").asLong(),
                    Instant.ofEpochSecond(row.path("first_update").asLong()),
                    Instant.ofEpochSecond(row.path("last_update").asLong()))).isEqualTo(sent);
        }
    }

    /** The agent's client, calling the noauth server without identity headers: Neutron's noauth admin. */
    private ServerClient client(String host) {
        return new HttpServerClient(URI.create(api.baseUrl()), "noauth", host);
    }

    private static MeteringLabelRule rule(String id, LabelId label, Direction direction, boolean excluded,
                                          Optional<Cidr> remote, Optional<Cidr> source, Optional<Cidr> destination) {
        return new MeteringLabelRule(RuleId.parse(id).orElseThrow(), label, direction, excluded, remote, source,
                destination);
    }

    private static Optional<Cidr> cidr(String field, String text) {
        return Optional.of(Cidr.parse(field, text));
    }
}
