package dev.netmeter.agent.driver.nftables;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.agent.driver.Routers.sourceAndDestination;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;

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
    void every_label_has_its_counter_named_by_its_id_even_one_that_counts_nothing() {
        assertThat(NftRuleset.render(SMALL)).contains("counter l_00000000000000000000000000000003 {");
        assertThat(NftRuleset.counterName(label(10))).isEqualTo("l_0000000000000000000000000000000a");
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
