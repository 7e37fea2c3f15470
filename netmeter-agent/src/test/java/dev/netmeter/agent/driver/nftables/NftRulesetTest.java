package dev.netmeter.agent.driver.nftables;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.agent.driver.Routers.sourceAndDestination;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.Routers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.netmeter.domain.MeteringLabelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rendered table, against golden files: the same router always gives the same text. To accept a
 * deliberate change, run with {@code -Dnetmeter.golden.update=true} and review the diff of the file.
 */
class NftRulesetTest {
    /** Three labels: web (overlapping includes and an exclude, IPv4 and IPv6), dns (source and destination), idle. */
    static final RouterMetering SMALL = Routers.router(List.of(
            new LabelMetering(label(1), List.of(
                    remote(label(1), INGRESS, false, "203.0.113.0/24"),
                    remote(label(1), INGRESS, false, "203.0.113.0/25"),
                    remote(label(1), INGRESS, true, "203.0.113.64/26"),
                    remote(label(1), EGRESS, false, "2001:db8::/32"))),
            new LabelMetering(label(2), List.of(
                    sourceAndDestination(label(2), EGRESS, false, "192.0.2.0/24", "198.51.100.53/32"),
                    remote(label(2), INGRESS, false, "203.0.113.0/24"))),
            new LabelMetering(label(3), List.of())));

    @Test
    void a_small_router_renders_as_its_golden_file() throws IOException {
        assertGolden("small-router.nft", NftRuleset.render(SMALL));
    }

    @Test
    void a_label_has_a_counter_per_direction_it_has_rules_for_named_by_its_id_and_the_direction() {
        String table = NftRuleset.render(SMALL);

        assertThat(table).contains("counter l_00000000000000000000000000000001_ingress {",
                "counter l_00000000000000000000000000000001_egress {",
                "counter l_00000000000000000000000000000002_ingress {",
                "counter l_00000000000000000000000000000002_egress {");
        assertThat(table).as("label 3 has no rules").doesNotContain("l_00000000000000000000000000000003");
        assertThat(NftRuleset.counterName(LabelCounter.of(label(10), EGRESS)))
                .isEqualTo("l_0000000000000000000000000000000a_egress");
        assertThat(NftRuleset.counterName(LabelCounter.directionLess(label(10))))
                .as("an agent's before issue 17").isEqualTo("l_0000000000000000000000000000000a");
    }

    @Test
    void a_label_with_only_ingress_rules_has_only_the_ingress_counter_and_idle_counters_are_kept() {
        RouterMetering router = Routers.router(List.of(new LabelMetering(label(4),
                List.of(remote(label(4), INGRESS, false, "203.0.113.0/24")),
                Set.of(LabelCounter.of(label(4), EGRESS), LabelCounter.directionLess(label(4))))));
        NftTable table = NftRuleset.table(router);

        assertThat(table.counters()).containsExactly("l_00000000000000000000000000000004_ingress",
                "l_00000000000000000000000000000004", "l_00000000000000000000000000000004_egress");
        assertThat(table.text()).as("idle counters: no rule counts into them")
                .doesNotContain("counter name \"l_00000000000000000000000000000004_egress\"")
                .doesNotContain("counter name \"l_00000000000000000000000000000004\"")
                .contains("counter name \"l_00000000000000000000000000000004_ingress\"");
        assertThat(NftRuleset.table(Routers.router(List.of(new LabelMetering(label(4), router.labels().getFirst()
                .rules())))).counters()).containsExactly("l_00000000000000000000000000000004_ingress");
    }

    @Test
    void one_rule_more_in_a_large_table_makes_only_a_few_small_parts_new() {
        RouterMetering router = Routers.random(new Random(7), 30, 600);
        List<LabelMetering> labels = new ArrayList<>(router.labels());
        List<MeteringLabelRule> rules = new ArrayList<>(labels.getFirst().rules());
        rules.add(sourceAndDestination(labels.getFirst().label(), EGRESS, false, "10.1.0.5/32", "192.0.2.0/24"));
        labels.set(0, new LabelMetering(labels.getFirst().label(), rules));
        NftTable before = NftRuleset.table(router);
        NftTable after = NftRuleset.table(Routers.router(labels));

        Set<String> names = before.parts().stream().map(NftTable.Part::name).collect(Collectors.toSet());
        List<NftTable.Part> added = after.parts().stream().filter(part -> !names.contains(part.name())).toList();
        long addedBytes = added.stream().mapToLong(part -> part.declaration().length()).sum();

        assertThat(before.text()).as("a large source map is cut in chunks").contains("\tmap sm_");
        assertThat(added).as("what changed is new").isNotEmpty();
        assertThat(addedBytes).as("bytes of new parts, of %d", after.text().length())
                .isLessThan(after.text().length() / 20);
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = Path.of("src/test/resources/nft", name);   // Maven runs tests in the module's directory
        if (Boolean.getBoolean("netmeter.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file (create it with -Dnetmeter.golden.update=true)").exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
