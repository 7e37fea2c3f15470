package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.nftables.NftRuleset;
import dev.netmeter.agent.driver.nftables.NftablesDriver;
import dev.netmeter.agent.driver.nftables.NftablesDriver.Update;
import dev.netmeter.domain.Direction;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench nft}: one router's ruleset in nftables, in a network namespace this command creates
 * and deletes (root needed): rendering, loading it into an empty namespace, updating it with one rule added
 * (counters kept), and reading every counter. Loading and updating are measured for the staged update the
 * agent uses and, as the baseline, for the full reload in one transaction that it used before, runs of the two
 * interleaved. Rules are random IPv4 prefixes /16–/28 in
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
        RouterMetering router = BenchRouters.random(new Random(1), 
                "nmbench-" + UUID.randomUUID().toString().substring(0, 8),
                "qg-bench", rules, labels);
        report("router", "%d rules over %d labels".formatted(rules, labels));
        long[] render = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            NftRuleset.render(router);
            render[i] = System.nanoTime() - start;
        }
        report("render (compile to interval maps, write text)", summary(render));
        RouterMetering updated = BenchRouters.withRule(router, 0, Direction.EGRESS, "203.0.113.0/24");
        Map<Update, long[][]> figures = new EnumMap<>(Update.class);   // load, update, read, update in nft
        for (int i = 0; i < RUNS; i++) {
            for (Update update : Update.values()) {     // interleaved, so that both see the same machine
                figures.computeIfAbsent(update, mode -> new long[4][RUNS]);
                long[] run = measure(commands, update, router, updated);
                for (int figure = 0; figure < run.length; figure++) {
                    figures.get(update)[figure][i] = run[figure];
                }
            }
        }
        for (Update update : Update.values()) {
            String mode = update == Update.STAGED ? "staged" : "old: full reload";
            report("load into an empty namespace (%s)".formatted(mode), summary(figures.get(update)[0]));
            report("update: one rule more (%s)".formatted(mode), summary(figures.get(update)[1]));
            report("  of which nft (%s)".formatted(mode), summary(figures.get(update)[3]));
        }
        report("read every counter (nft -j list counters)", summary(figures.get(Update.STAGED)[2]));
        report("one rule more: full reload / staged (medians)", "%.1f x".formatted(
                BenchCommand.median(figures.get(Update.FULL_RELOAD)[1])
                        / BenchCommand.median(figures.get(Update.STAGED)[1])));
        return 0;
    }

    /**
     * Load, update and read in a namespace of their own: nanoseconds of each, and of the update's time the part
     * spent in nft (the rest is compiling and rendering, the same for both ways of updating).
     */
    private long[] measure(CommandRunner commands, Update update, RouterMetering router, RouterMetering updated)
            throws Exception {
        check(commands.run(List.of("ip", "netns", "add", router.namespace()), "", Duration.ofSeconds(10)));
        try {
            long[] inCommands = new long[1];
            NftablesDriver driver = new NftablesDriver((command, stdin, timeout) -> {
                long start = System.nanoTime();
                try {
                    return commands.run(command, stdin, timeout);
                } finally {
                    inCommands[0] += System.nanoTime() - start;
                }
            }, update);
            long start = System.nanoTime();
            driver.apply(router);
            long load = System.nanoTime() - start;
            inCommands[0] = 0;
            start = System.nanoTime();
            driver.apply(updated);
            long change = System.nanoTime() - start;
            long changeInNft = inCommands[0];
            start = System.nanoTime();
            int counters = driver.readCounters(router.namespace()).size();
            long read = System.nanoTime() - start;
            if (counters != updated.counters().size()) {      // one per label and direction it has rules for
                throw new IllegalStateException("read %d counters, expected %d".formatted(counters,
                        updated.counters().size()));
            }
            return new long[] {load, change, read, changeInNft};
        } finally {
            commands.run(List.of("ip", "netns", "del", router.namespace()), "", Duration.ofSeconds(10));
        }
    }

    private static void check(CommandRunner.Result result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("cannot create a network namespace (root is needed): " + result.stderr());
        }
    }
}
