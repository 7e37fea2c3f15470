package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.ProcessCommandRunner;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.driver.nftables.NftablesDriver;
import dev.netmeter.domain.Direction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench forwarding}: how fast a router namespace forwards 64-byte UDP (iperf3, bounded runs)
 * with no metering, with netmeter's compiled nftables ruleset, and with Neutron's linear iptables layout
 * (iptables-legacy) of the same rules, in rounds, so that every ratio has its baseline from the same round.
 * The benchmark traffic is counted by the last label, after every other rule could have matched. Root,
 * iperf3 and iptables are needed; the namespaces are made by {@code scripts/router-topology.sh}.
 */
@Command(name = "forwarding", mixinStandardHelpOptions = true,
        description = "Measure forwarding (64-byte UDP) with no rules, compiled nftables, Neutron's iptables layout "
                + "(root).")
public final class ForwardingBenchCommand implements Callable<Integer> {
    private static final String PREFIX = "nmfwd";
    private static final String ROUTER = PREFIX + "-router";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What the router namespace does with each packet. */
    enum Setup { NO_RULES, NFTABLES_COMPILED, IPTABLES_NEUTRON }

    @Option(names = "--rules", defaultValue = "10000", description = "Rules (default 10000).")
    private int rules;

    @Option(names = "--labels", defaultValue = "1000", description = "Labels (default 1000).")
    private int labels;

    @Option(names = "--seconds", defaultValue = "5", description = "Length of one iperf3 run (default 5).")
    private int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds over the setups (default 3).")
    private int rounds;

    private final CommandRunner commands = new ProcessCommandRunner();

    /** The programs the bench runs. */
    static final RequiredCommands REQUIRED = new RequiredCommands().require("ip", "iproute2")
            .require("nft", "nftables").require("iperf3", "iperf3").require("iptables-legacy-restore", "iptables");

    @Override
    public Integer call() throws Exception {
        Optional<String> missing = REQUIRED.missing("netmeter bench forwarding",
                System.getenv().getOrDefault("PATH", ""));
        if (missing.isPresent()) {
            System.err.println(missing.get());
            return 2;
        }
        String home = System.getenv("NETMETER_HOME");
        if (home == null) {
            throw new IllegalStateException("run it through ./netmeter, which knows where scripts/ is");
        }
        String topology = Path.of(home, "scripts", "router-topology.sh").toString();
        RouterMetering router = BenchRouters.withRule(BenchRouters.random(new Random(1), ROUTER, "qg-" + PREFIX,
                rules, labels), labels - 1, Direction.EGRESS, "198.51.100.0/24");   // egress: the source, as Neutron
        LabelCounter counted = LabelCounter.of(router.labels().getLast().label(), Direction.EGRESS);
        report("router", "%d rules over %d labels; 64-byte UDP for %d s a run".formatted(rules + 1, labels, seconds));
        run(List.of("bash", topology, "up", PREFIX));
        Map<Setup, List<Double>> rates = new EnumMap<>(Setup.class);
        try {
            for (int round = 1; round <= rounds; round++) {
                for (Setup setup : Setup.values()) {
                    NftablesDriver driver = new NftablesDriver(commands);
                    switch (setup) {
                        case NO_RULES -> { }
                        case NFTABLES_COMPILED -> driver.apply(router);
                        case IPTABLES_NEUTRON -> restoreIptables(NeutronIptablesLayout.render(router));
                    }
                    double rate = forward();
                    rates.computeIfAbsent(setup, key -> new ArrayList<>()).add(rate);
                    String counter = "";
                    if (setup == Setup.NFTABLES_COMPILED) {
                        TrafficCounter count = driver.readCounters(ROUTER).get(counted);
                        counter = ", label counted %d packets".formatted(count.packets());
                        driver.remove(ROUTER);
                    } else if (setup == Setup.IPTABLES_NEUTRON) {
                        restoreIptables("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                                + ":OUTPUT ACCEPT [0:0]\nCOMMIT\n");
                    }
                    report("round %d: %s".formatted(round, setup.name().toLowerCase(java.util.Locale.ROOT)),
                            "%.0f packets/s forwarded%s".formatted(rate, counter));
                }
            }
        } finally {
            run(List.of("bash", topology, "down", PREFIX));
        }
        double baseline = median(rates.get(Setup.NO_RULES));
        for (Setup setup : Setup.values()) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                ratios.add(rates.get(setup).get(i) / rates.get(Setup.NO_RULES).get(i));
            }
            report(setup.name().toLowerCase(java.util.Locale.ROOT) + ": median", "%.0f packets/s, %.1f %% of no rules "
                    .formatted(median(rates.get(setup)), 100 * median(rates.get(setup)) / baseline)
                    + "(per round: %s)".formatted(ratios.stream().map(r -> "%.1f %%".formatted(100 * r)).toList()));
        }
        return 0;
    }

    /** One bounded iperf3 run through the router; packets per second that reached the external host. */
    private double forward() throws Exception {
        run(List.of("ip", "netns", "exec", PREFIX + "-external", "iperf3", "-s", "-1", "-D"));
        Thread.sleep(300);
        CommandRunner.Result result = run(List.of("ip", "netns", "exec", PREFIX + "-client", "iperf3", "-c",
                "203.0.113.10", "-u", "-b", "0", "-l", "64", "-t", Integer.toString(seconds), "-J"));
        JsonNode sum = JSON.readTree(result.stdout()).path("end").path("sum");
        return (sum.path("packets").asDouble() - sum.path("lost_packets").asDouble()) / sum.path("seconds").asDouble();
    }

    private void restoreIptables(String rules) throws Exception {
        CommandRunner.Result result = commands.run(List.of("ip", "netns", "exec", ROUTER, "iptables-legacy-restore"),
                rules, TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException("iptables-legacy-restore failed: " + result.stderr());
        }
    }

    private CommandRunner.Result run(List<String> command) throws Exception {
        CommandRunner.Result result = commands.run(command, "", TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.stderr());
        }
        return result;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
