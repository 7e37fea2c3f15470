package dev.netmeter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.error.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} is accepted as {1}, covering {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/24          | 10.0.0.0/24          | 10.0.0.0/24
            192.168.1.5/24       | 192.168.1.5/24       | 192.168.1.0/24
            10.2.0.0             | 10.2.0.0/32          | 10.2.0.0/32
            0.0.0.0/0            | 0.0.0.0/0            | 0.0.0.0/0
            10.0.0.1/32          | 10.0.0.1/32          | 10.0.0.1/32
            2001:db8::/64        | 2001:db8::/64        | 2001:db8::/64
            2001:DB8:0:0:1::/80  | 2001:db8:0:0:1::/80  | 2001:db8:0:0:1::/80
            2001:db8::1          | 2001:db8::1/128      | 2001:db8::1/128
            ::/0                 | ::/0                 | ::/0
            ::ffff:10.0.0.0/104  | ::ffff:10.0.0.0/104  | ::ffff:a00:0/104
            2001:0db8::/32       | 2001:0db8::/32       | 2001:db8::/32
            """)
    void accepts_what_neutron_accepts_and_echoes_it_as_neutron_does(String input, String text, String network) {
        Cidr cidr = Cidr.parse("remote_ip_prefix", input);

        assertThat(cidr.text()).isEqualTo(text);
        assertThat(cidr.network()).isEqualTo(network);
    }

    @ParameterizedTest(name = "[{0}] is rejected")
    @ValueSource(strings = {
        "",                     // the library's default reads "" as 127.0.0.1
        " 10.0.0.0/24",         // the library trims white space silently
        "10.0.0.0/24 ",
        "10.0.0.0/33",          // longer than the address
        "2001:db8::/129",
        "10/24",                // short forms: rejected, as in Neutron
        "10.0.0/24",
        "010.0.0.0/8",          // octal in the library's default, decimal elsewhere: ambiguous
        "10.0.0.0/08",          // leading zero in the length
        "10.0.0.0/255.0.0.0",   // masks
        "10.0.0.0-5/24",        // ranges
        "*.0.0.0/8",            // wildcards
        "10.0.0.0/-1",
        "fe80::1%eth0/64",      // zones
        "not-a-cidr",
        "example.com",          // host names are never resolved
        "10.0.0.0/24/24",
        "0x0a.0.0.0/8",
        "::ffff:010.0.0.1/128", // octal inside an IPv6 address
        "1.2.3.4.5/32",
        "2001:00db8::/32",      // a group of five digits: nft and Python refuse it, the library did not
        "02001:db8::/32",
        "2001:db8::00001/128",
    })
    void rejects_anything_else(String input) {
        assertThatThrownBy(() -> Cidr.parse("remote_ip_prefix", input))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Invalid input for operation: remote_ip_prefix: '");
    }

    @Test
    void rejects_null() {
        assertThatThrownBy(() -> Cidr.parse("source_ip_prefix", null)).isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8        | 10.1.0.0/16       | true
            10.0.0.0/24       | 10.0.1.0/24       | false
            10.0.0.0/24       | 10.0.0.128/25     | true
            10.1.2.3/24       | 10.1.2.200/32     | true
            0.0.0.0/0         | 192.168.1.1/32    | true
            2001:db8::/32     | 2001:db8:1::/48   | true
            2001:db8::/64     | 2001:db8:0:1::/64 | false
            10.0.0.0/8        | ::ffff:10.0.0.0/104 | false
            0.0.0.0/0         | ::/0              | false
            """)
    void overlap_is_symmetric_and_never_crosses_ip_versions(String a, String b, boolean expected) {
        Cidr first = Cidr.parse("a", a);
        Cidr second = Cidr.parse("b", b);

        assertThat(first.overlaps(second)).isEqualTo(expected);
        assertThat(second.overlaps(first)).isEqualTo(expected);
    }

    @Test
    void ipv4_mapped_ipv6_stays_ipv6() {
        assertThat(Cidr.parse("p", "::ffff:10.0.0.0/104").version()).isEqualTo(IpVersion.V6);
    }

    @Test
    void sort_keys_order_prefixes_as_neutron_does_by_version_network_length_then_host_bits() {
        // Transcript case 91 (sort_key=remote_ip_prefix, descending), ascending here.
        List<String> ascending = List.of("10.0.0.0/16", "10.0.0.0/24", "10.1.2.0/24", "10.1.2.3/24", "10.2.0.0/32",
                "10.7.0.0/24", "10.7.1.0/24", "2001:db8::/64", "2001:db8:0:0:1::/80");
        List<String> shuffled = new ArrayList<>(ascending);
        Collections.shuffle(shuffled, new Random(7));

        assertThat(shuffled.stream().sorted(Comparator.comparing(text -> Cidr.parse("p", text).sortKey())))
                .containsExactlyElementsOf(ascending);
    }

    /**
     * The dotted-quad fast path gives exactly what the general parser gives, for every spelling it takes,
     * and declines everything else: random quads with and without lengths, and near misses.
     */
    @Test
    void the_dotted_quad_fast_path_agrees_with_the_general_parser() {
        Random random = new Random(42);
        List<String> inputs = new ArrayList<>(List.of("0.0.0.0/0", "255.255.255.255", "10.0.0.0/8", "1.2.3.4/32",
                "01.2.3.4/8", "1.2.3.4/08", "1.2.3.4/", "1.2.3.4/33", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/3a",
                "1..2.3", "1.2.3.4 ", "1.2.3.1000", "١.2.3.4", "1.2.3.4/320"));
        for (int i = 0; i < 20_000; i++) {
            String quad = "%d.%d.%d.%d".formatted(random.nextInt(256), random.nextInt(256), random.nextInt(256),
                    random.nextInt(256));
            inputs.add(random.nextBoolean() ? quad : quad + "/" + random.nextInt(33));
        }
        int fast = 0;
        for (String input : inputs) {
            Cidr quick = Cidr.dottedQuad(input);
            if (quick != null) {
                fast++;
                assertThat(quick).as(input).isEqualTo(Cidr.general("f", input));
            } else {
                assertThat(input).as("declined though plain").isIn(inputs.subList(4, 17));
            }
        }
        assertThat(fast).isEqualTo(inputs.size() - 13);
    }
}
