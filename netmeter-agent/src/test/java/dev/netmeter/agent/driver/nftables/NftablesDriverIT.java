package dev.netmeter.agent.driver.nftables;

import static dev.netmeter.agent.driver.Routers.label;
import static dev.netmeter.agent.driver.Routers.remote;
import static dev.netmeter.domain.Direction.EGRESS;
import static dev.netmeter.domain.Direction.INGRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.LabelMetering;
import dev.netmeter.agent.driver.NetworkNamespace;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.Routers;
import dev.netmeter.agent.driver.TrafficCounter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link NftablesDriver} against real {@code nft} in a namespace each test creates: the table loads, every
 * label has its counter, an update keeps the counts of labels that stay (also across an agent restart, when
 * the driver has to find out what the namespace holds), deletes the counters of labels that go, and a
 * change nft refuses leaves the previous ruleset whole.
 */
class NftablesDriverIT {
    private final NftablesDriver driver = new NftablesDriver(new ProcessCommandRunner());

    @Test
    void the_table_loads_and_every_label_has_a_counter_at_zero_per_direction_it_has_rules_for() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            driver.apply(in(namespace, NftRulesetTest.SMALL));

            assertThat(driver.readCounters(namespace.name())).as("label 3 has no rules: no counter").isEqualTo(Map.of(
                    LabelCounter.of(label(1), INGRESS), TrafficCounter.ZERO,
                    LabelCounter.of(label(1), EGRESS), TrafficCounter.ZERO,
                    LabelCounter.of(label(2), INGRESS), TrafficCounter.ZERO,
                    LabelCounter.of(label(2), EGRESS), TrafficCounter.ZERO));
            assertThat(namespace.execOrFail("nft", "list", "chain", "inet", "netmeter", "forward"))
                    .contains("iifname \"qg-test\" ip saddr vmap @src_v4_ingress");
        }
    }

    @Test
    void an_update_keeps_the_counts_of_labels_that_stay_and_deletes_the_counters_of_labels_that_go()
            throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            counterFromBefore(namespace, 1, 10);
            counterFromBefore(namespace, 2, 20);
            namespace.execOrFail("nft", "add", "chain", "inet", "netmeter", "stale_chain");

            driver.apply(in(namespace, router(1, 2)));
            assertThat(driver.readCounters(namespace.name())).isEqualTo(Map.of(
                    out(1), new TrafficCounter(10, 1000), out(2), new TrafficCounter(20, 2000)));
            assertThat(namespace.execOrFail("nft", "list", "table", "inet", "netmeter")).doesNotContain("stale_chain");

            driver.apply(in(namespace, router(1, 4)));
            assertThat(driver.readCounters(namespace.name())).isEqualTo(Map.of(
                    out(1), new TrafficCounter(10, 1000), out(4), TrafficCounter.ZERO));
        }
    }

    @Test
    void an_update_cut_short_between_its_transactions_is_completed_by_the_next_apply_with_counts_kept()
            throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            counterFromBefore(namespace, 1, 10);
            RouterMetering next = in(namespace, router(1, 3));
            for (int transactions = 1; transactions <= 2; transactions++) {
                new NftablesDriver(new ProcessCommandRunner()).apply(in(namespace, router(1, 2)));
                NftablesDriver killed = new NftablesDriver(afterTransactions(transactions));
                assertThatThrownBy(() -> killed.apply(next)).isInstanceOf(DataPlaneException.class);
                assertThat(lines(namespace)).as("what an agent killed after %d transaction(s) leaves", transactions)
                        .isNotEqualTo(whole(next));

                NftablesDriver restarted = new NftablesDriver(new ProcessCommandRunner());
                restarted.apply(next);

                assertThat(lines(namespace)).isEqualTo(whole(next));
                assertThat(restarted.readCounters(namespace.name())).isEqualTo(Map.of(
                        out(1), new TrafficCounter(10, 1000), out(3), TrafficCounter.ZERO));
            }
        }
    }

    /** A label's counter with counts from before, as if an earlier agent had applied and traffic had flowed. */
    private static void counterFromBefore(NetworkNamespace namespace, int label, long packets) {
        namespace.execOrFail("nft", "add", "table", "inet", "netmeter");
        namespace.execOrFail("nft", "add", "counter", "inet", "netmeter", NftRuleset.counterName(out(label)),
                "{", "packets", Long.toString(packets), "bytes", Long.toString(packets * 100), "}");
    }

    /** The lines of netmeter's table, sorted (the order of objects follows their creation), counts left out. */
    private static List<String> lines(NetworkNamespace namespace) {
        return namespace.execOrFail("nft", "list", "table", "inet", "netmeter").lines()
                .map(line -> line.replaceAll("packets \\d+ bytes \\d+", "")).sorted().toList();
    }

    /** The table {@code router} leaves in a namespace of its own, as {@link #lines} gives it. */
    private static List<String> whole(RouterMetering router) {
        try (NetworkNamespace fresh = NetworkNamespace.create()) {
            new NftablesDriver(new ProcessCommandRunner()).apply(in(fresh, router));
            return lines(fresh);
        } catch (DataPlaneException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs commands until {@code transactions} nft -f have run, then fails them all, as a killed agent would. */
    private static CommandRunner afterTransactions(int transactions) {
        CommandRunner real = new ProcessCommandRunner();
        int[] run = {0};
        return (command, stdin, timeout) -> {
            if (command.contains("-f") && run[0]++ >= transactions) {
                throw new DataPlaneException("killed after %d transaction(s)".formatted(transactions));
            }
            return real.run(command, stdin, timeout);
        };
    }

    @Test
    void a_change_nft_refuses_leaves_the_previous_ruleset_whole() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            driver.apply(in(namespace, router(1, 2)));
            String before = namespace.execOrFail("nft", "list", "ruleset");
            RouterMetering broken = new RouterMetering(NftRulesetTest.SMALL.router(), namespace.name(),
                    "qg\"broken", List.of(new LabelMetering(label(5),
                            List.of(remote(label(5), EGRESS, false, "10.0.0.0/8")))));

            assertThatThrownBy(() -> driver.apply(broken)).isInstanceOf(DataPlaneException.class)
                    .hasMessageContaining("nft -f - failed");

            assertThat(namespace.execOrFail("nft", "list", "ruleset")).isEqualTo(before);
        }
    }

    @Test
    void a_namespace_that_does_not_exist_yet_is_an_error_to_apply_to_and_holds_no_counters() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            assertThat(driver.readCounters(namespace.name())).isEmpty();
        }
        assertThatThrownBy(() -> driver.apply(new RouterMetering(NftRulesetTest.SMALL.router(), "nmt-missing",
                "qg-test", List.of()))).isInstanceOf(DataPlaneException.class)
                .hasMessage("namespace nmt-missing does not exist (yet)");
        assertThat(driver.readCounters("nmt-missing")).isEmpty();
        driver.remove("nmt-missing");
    }

    @Test
    void a_table_deleted_or_a_namespace_recreated_behind_its_back_is_applied_whole_again() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            driver.apply(in(namespace, router(1, 2)));
            namespace.execOrFail("nft", "delete", "table", "inet", "netmeter");     // as a recreated namespace is

            assertThat(driver.readCounters(namespace.name())).isEmpty();
            driver.apply(in(namespace, router(1, 4)));

            assertThat(driver.readCounters(namespace.name())).containsOnlyKeys(out(1), out(4));
        }
    }

    @Test
    void without_nft_every_step_is_an_error_that_names_the_command() throws Exception {
        CommandRunner real = new ProcessCommandRunner();
        NftablesDriver withoutNft = new NftablesDriver((command, stdin, timeout) -> real.run(command.stream()
                .map(word -> word.equals("nft") ? "nft-not-installed" : word).toList(), stdin, timeout));
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            assertThatThrownBy(() -> withoutNft.apply(new RouterMetering(NftRulesetTest.SMALL.router(),
                    namespace.name(), "qg-test", List.of()))).isInstanceOf(DataPlaneException.class)
                    .hasMessageStartingWith("nft cannot be run (is nftables installed?): ip netns exec "
                    + namespace.name()
                            + " nft ")
                    .hasMessageContaining("nft-not-installed");
            assertThatThrownBy(() -> withoutNft.readCounters(namespace.name())).isInstanceOf(DataPlaneException.class)
                    .hasMessageContaining("nft cannot be run");
        }
    }

    @Test
    void removing_takes_the_table_away_and_is_idempotent() throws Exception {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            driver.apply(in(namespace, router(1)));
            driver.remove(namespace.name());
            driver.remove(namespace.name());
            assertThat(namespace.execOrFail("nft", "list", "ruleset")).doesNotContain("netmeter");
        }
    }

    private static RouterMetering router(int... labels) {
        return Routers.router(java.util.Arrays.stream(labels).mapToObj(number -> new LabelMetering(label(number),
                List.of(remote(label(number), EGRESS, false, "10.%d.0.0/16".formatted(number))))).toList());
    }

    /** The egress counter of label {@code number}: the only one of {@link #router}'s labels. */
    private static LabelCounter out(int number) {
        return LabelCounter.of(label(number), EGRESS);
    }

    private static RouterMetering in(NetworkNamespace namespace, RouterMetering router) {
        return new RouterMetering(router.router(), namespace.name(), router.externalInterface(), router.labels());
    }
}
