package dev.netmeter.agent.driver.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.agent.driver.MeteringSemantics;
import dev.netmeter.agent.driver.Packet;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.Routers;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compiled interval maps count exactly what the plain rule says, packet by packet: random routers
 * whose prefixes overlap and nest often (IPv4 and IPv6, ingress and egress, excluded rules, source and
 * destination rules), and random packets mostly at and around the prefixes' edges, where the compiled
 * form has its boundaries.
 */
class CompiledMeteringTest {
    @ParameterizedTest(name = "seed {0}: {1} labels, {2} rules")
    @CsvSource({
            "1, 1, 5",          // one label: exclusions inside inclusions
            "2, 5, 40",
            "3, 20, 200",
            "4, 100, 1000",     // many labels sharing intervals
            "5, 3, 300",        // few labels, many rules each: deep nesting
    })
    void the_compiled_form_counts_every_packet_as_the_rule_says(long seed, int labels, int rules) {
        Random random = new Random(seed);
        RouterMetering router = Routers.random(random, labels, rules);
        CompiledMetering compiled = CompiledMetering.compile(router);
        var prefixes = Routers.prefixes(router);

        int counted = 0;
        for (int i = 0; i < 20_000; i++) {
            Packet packet = Routers.randomPacket(random, prefixes);
            var expected = MeteringSemantics.labelsCounting(router, packet);
            assertThat(compiled.labelsCounting(packet)).as("%s", packet).isEqualTo(expected);
            counted += expected.isEmpty() ? 0 : 1;
        }
        assertThat(counted).as("packets some label counts (the test must exercise counting)").isGreaterThan(2_000);
    }
}
