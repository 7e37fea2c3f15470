package dev.netmeter.server.bench;

import static dev.netmeter.server.bench.BenchCommand.report;
import static dev.netmeter.server.bench.BenchCommand.summary;

import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.nftables.NftRuleset;
import dev.netmeter.agent.driver.nftables.NftablesDriver;
import dev.netmeter.domain.Direction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench nft}: one router's ruleset in nftables, in a network namespace this command creates
 * and deletes (root needed): rendering, loading it into an empty namespace, loading it again with one rule
 * added (an update, counters kept), and reading every counter. Rules are random IPv4 prefixes /16–/28 in
 * 10/8, half ingress, half egress, one in five excluded, as in the reference measurements.
 */
@Command(name = "nft", mixinStandardHelpOptions = true,
        description = "Measure the nftables data plane of one router: render, load, update, read counters (root).")
public final class NftBenchCommand implements Callable<Integer> {
    private static final int RUNS = 5;

    @Option(names = "--rules", defaultValue = "10000", description = "Rules (default 10000).")
    private int rules;

    @Option(names = "--labels", defaultValue = "1000", description = "Labels (default 1000).")
    private int labels;

    @Override
    public Integer call() throws Exception {
        CommandRunner commands = new ProcessCommandRunner();
        RouterMetering router = BenchRouters.random(new Random(1), "nmbench-" + UUID.randomUUID().toString().substring(0, 8),
                "qg-bench", rules, labels);
        report("router", "%d rules over %d labels".formatted(rules, labels));
        long[] render = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            NftRuleset.render(router);
            render[i] = System.nanoTime() - start;
        }
        report("render (compile to interval maps, write text)", summary(render));
        long[] load = new long[RUNS];
        long[] update = new long[RUNS];
        long[] read = new long[RUNS];
        RouterMetering updated = BenchRouters.withRule(router, 0, Direction.EGRESS, "203.0.113.0/24");
        for (int i = 0; i < RUNS; i++) {
            check(commands.run(List.of("ip", "netns", "add", router.namespace()), "", Duration.ofSeconds(10)));
            try {
                NftablesDriver driver = new NftablesDriver(commands);
                long start = System.nanoTime();
                driver.apply(router);
                load[i] = System.nanoTime() - start;
                start = System.nanoTime();
                driver.apply(updated);
                update[i] = System.nanoTime() - start;
                start = System.nanoTime();
                int counters = driver.readCounters(router.namespace()).size();
                read[i] = System.nanoTime() - start;
                if (counters != labels) {
                    throw new IllegalStateException("read %d counters, expected %d".formatted(counters, labels));
                }
            } finally {
                commands.run(List.of("ip", "netns", "del", router.namespace()), "", Duration.ofSeconds(10));
            }
        }
        report("load into an empty namespace (render + nft -f)", summary(load));
        report("update: one rule more (render + nft -f)", summary(update));
        report("read every counter (nft -j list counters)", summary(read));
        return 0;
    }

    private static void check(CommandRunner.Result result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("cannot create a network namespace (root is needed): " + result.stderr());
        }
    }
}
