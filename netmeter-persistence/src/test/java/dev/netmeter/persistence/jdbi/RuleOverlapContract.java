package dev.netmeter.persistence.jdbi;

import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static dev.netmeter.persistence.jdbi.TestData.ADMIN;
import static dev.netmeter.persistence.jdbi.TestData.remote;
import static dev.netmeter.persistence.jdbi.TestData.sourceAndDestination;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.MeteringLabelRule;
import dev.netmeter.domain.NewRule;
import dev.netmeter.domain.error.MeteringLabelRuleOverlapsException;
import dev.netmeter.persistence.jdbi.TestDatabase.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The overlap rule, pinned through {@link dev.netmeter.service.MeteringRuleService}: two rules of the same
 * label, direction and excluded flag may not share an address of their {@code remote_ip_prefix}
 * (Neutron: metering_db.py, {@code _validate_cidr}); rules on source/destination prefixes may overlap.
 */
abstract class RuleOverlapContract extends DatabaseContract {

    RuleOverlapContract(Backend backend) {
        super(backend);
    }

    @ParameterizedTest(name = "{2}: {1} after {0} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/24        | 10.0.0.0/24                                | the same block
            10.0.0.0/24        | 10.0.0.128/25                              | inside the stored block
            10.0.0.128/25      | 10.0.0.0/16                                | around the stored block
            10.1.2.3/24        | 10.1.2.200/32                              | host bits set in the stored prefix
            10.1.2.200/32      | 10.1.2.3/24                                | host bits set in the new prefix
            0.0.0.0/0          | 192.168.0.1                                | an address without a length is a /32
            255.255.255.255/32 | 255.255.255.0/24                           | the top of the space (all-f hex)
            2001:db8::/32      | 2001:db8:1::/48                            | IPv6 inside
            2001:DB8::/127     | 2001:db8::1                                | IPv6 case does not matter
            ffff::/16          | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | the top of the IPv6 space
            ::/0               | ::ffff:10.0.0.1/128                        | an IPv4-mapped address is IPv6
            """)
    void refuses_a_remote_prefix_that_overlaps_one_of_the_same_label_direction_and_flag(String stored,
                                                                                      String added, String why) {
        LabelId label = data.label("p1");
        MeteringLabelRule kept = data.rule(remote(label, INGRESS, stored));

        assertThatThrownBy(() -> data.rule(remote(label, INGRESS, added)))
                .isInstanceOfSatisfying(MeteringLabelRuleOverlapsException.class, e -> {
                    assertThat(e.type()).isEqualTo("MeteringLabelRuleOverlaps");
                    assertThat(e.getMessage()).isEqualTo("Metering label rule with remote_ip_prefix '%s' overlaps "
                            .formatted(Cidr.parse("remote_ip_prefix", added).text()) + "another.");
                });
        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(kept);
    }

    @ParameterizedTest(name = "{2}: {1} after {0} is admitted")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/25      | 10.0.0.128/25       | adjacent halves
            9.255.255.255/32 | 10.0.0.0/8          | adjacent across an octet boundary
            10.0.0.0/8       | ::ffff:10.0.0.0/104 | IPv4 never meets IPv6
            0.0.0.0/0        | ::/0                | all of IPv4, then all of IPv6
            ::/0             | 0.0.0.0/0           | all of IPv6, then all of IPv4
            2001:db8::/33    | 2001:db8:8000::/33  | adjacent IPv6 halves
            """)
    void admits_a_remote_prefix_that_shares_no_address(String stored, String added, String why) {
        LabelId label = data.label("p1");
        MeteringLabelRule first = data.rule(remote(label, EGRESS, stored));

        MeteringLabelRule second = data.rule(remote(label, EGRESS, added));

        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(first, second);
    }

    @Test
    void admits_the_same_prefix_in_the_other_direction() {
        LabelId label = data.label("p1");
        data.rule(remote(label, INGRESS, "10.0.0.0/24"));

        data.rule(remote(label, EGRESS, "10.0.0.0/24"));

        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(2);
    }

    @Test
    void admits_the_same_prefix_with_the_other_excluded_flag() {
        LabelId label = data.label("p1");
        data.rule(remote(label, INGRESS, false, "10.0.0.0/24"));

        data.rule(remote(label, INGRESS, true, "10.0.0.0/25"));

        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(2);
    }

    @Test
    void admits_the_same_prefix_in_another_label() {
        data.rule(remote(data.label("p1"), INGRESS, "10.0.0.0/24"));

        data.rule(remote(data.label("p1"), INGRESS, "10.0.0.0/24"));

        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(2);
    }

    @Test
    void never_checks_source_and_destination_prefixes_for_overlap() {
        LabelId label = data.label("p1");
        data.rule(remote(label, INGRESS, "10.0.0.0/24"));

        data.rule(sourceAndDestination(label, INGRESS, "10.0.0.0/24", null));
        data.rule(sourceAndDestination(label, INGRESS, "10.0.0.0/24", null));
        data.rule(sourceAndDestination(label, INGRESS, null, "10.0.0.0/16"));
        data.rule(sourceAndDestination(label, INGRESS, "10.0.0.0/8", "10.0.0.0/16"));

        assertThat(rules.list(ADMIN, ALL_RULES)).hasSize(5);
    }

    @Test
    void admits_a_prefix_again_once_the_rule_that_held_it_is_deleted() {
        LabelId label = data.label("p1");
        MeteringLabelRule held = data.rule(remote(label, INGRESS, "10.0.0.0/24"));

        rules.delete(ADMIN, held.id().toString());
        MeteringLabelRule again = data.rule(remote(label, INGRESS, "10.0.0.7/32"));

        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactly(again);
    }

    @Test
    void reads_a_rule_back_exactly_as_it_was_written() {
        LabelId label = data.label("p1");
        MeteringLabelRule created = data.rule(remote(label, EGRESS, true, "192.168.1.5/24"));
        MeteringLabelRule both = data.rule(sourceAndDestination(label, INGRESS, "2001:DB8::1", "2001:db8::/64"));

        assertThat(rules.get(ADMIN, created.id().toString())).isEqualTo(created);
        assertThat(rules.get(ADMIN, both.id().toString())).isEqualTo(both);
        assertThat(created.remoteIpPrefix().orElseThrow().text()).isEqualTo("192.168.1.5/24");
    }

    /**
     * The indexed lookup ({@code findOverlapping}) must answer as a pairwise comparison of the new block with
     * every admitted block of its slot would. Random prefixes in small spaces, with host bits and mixed
     * lengths, over two labels, both directions and both flags; the seed makes a failure reproducible.
     */
    @Test
    void the_indexed_overlap_check_agrees_with_a_pairwise_comparison_of_random_prefixes() {
        Random random = new Random(20_240_611L);
        List<LabelId> labelIds = List.of(data.label("p1"), data.label("p2"));
        List<MeteringLabelRule> admitted = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        int refused = 0;
        for (int attempt = 0; attempt < 480; attempt++) {
            NewRule candidate = remote(labelIds.get(random.nextInt(2)), random.nextBoolean() ? INGRESS : EGRESS,
                    random.nextInt(4) == 0, random.nextInt(10) < 7 ? randomIpv4(random) : randomIpv6(random));
            Cidr block = candidate.remoteIpPrefix().orElseThrow();
            boolean expected = admitted.stream().noneMatch(rule -> sameSlot(rule, candidate)
                    && rule.remoteIpPrefix().orElseThrow().overlaps(block));
            boolean actual;
            try {
                admitted.add(data.rule(candidate));
                actual = true;
            } catch (MeteringLabelRuleOverlapsException e) {
                actual = false;
                refused++;
            }
            if (actual != expected) {
                disagreements.add("attempt %d: %s of label %d, %s, excluded=%s, was %s".formatted(attempt,
                        block.text(), labelIds.indexOf(candidate.labelId()), candidate.direction(),
                        candidate.excluded(), actual ? "admitted" : "refused"));
            }
        }

        assertThat(disagreements).isEmpty();
        assertThat(admitted).hasSizeGreaterThan(100);
        assertThat(refused).isGreaterThan(100);
        assertThat(rules.list(ADMIN, ALL_RULES)).containsExactlyInAnyOrderElementsOf(admitted);
    }

    private static boolean sameSlot(MeteringLabelRule rule, NewRule candidate) {
        return rule.labelId().equals(candidate.labelId()) && rule.direction() == candidate.direction()
                && rule.excluded() == candidate.excluded();
    }

    /** An address in 10.0.0.0/20 with a length of mostly 20 to 32, sometimes 8 to 19; host bits often set. */
    private static String randomIpv4(Random random) {
        int address = (10 << 24) | random.nextInt(1 << 12);
        return "%d.%d.%d.%d/%d".formatted(address >>> 24, (address >> 16) & 255, (address >> 8) & 255, address & 255,
                randomLength(random, 20, 32));
    }

    /** An address in 2001:db8::/116 with a length of mostly 116 to 128, sometimes 104 to 115. */
    private static String randomIpv6(Random random) {
        return "2001:db8::%x/%d".formatted(random.nextInt(1 << 12), randomLength(random, 116, 128));
    }

    private static int randomLength(Random random, int shortest, int longest) {
        return random.nextInt(20) == 0
                ? shortest - 12 + random.nextInt(12)
                : shortest + random.nextInt(longest - shortest + 1);
    }
}
