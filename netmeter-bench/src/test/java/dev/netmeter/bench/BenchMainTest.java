package dev.netmeter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./netmeter bench …} runs BenchMain, not the server's Main: it must answer as the server's subcommand did. */
class BenchMainTest {
    @Test
    void bench_and_its_subcommands_read_as_subcommands_of_netmeter() {
        CommandLine netmeter = new CommandLine(new BenchMain());
        StringWriter help = new StringWriter();
        netmeter.setOut(new PrintWriter(help));

        assertThat(netmeter.execute("bench", "usage", "--help")).isZero();

        assertThat(help.toString()).startsWith("Usage: netmeter bench usage ");
        assertThat(netmeter.getSubcommands().get("bench").getSubcommands()).containsOnlyKeys("auth", "sync",
                "longpoll", "nft", "forwarding", "neutron", "usage", "notifications", "ledger", "statements");
    }
}
