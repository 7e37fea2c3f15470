package dev.netmeter.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Cidr;
import dev.netmeter.domain.error.InvalidInputException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API's prefix parser ({@link Cidr#parse}) against nft's own, on generated spellings of addresses: every
 * spelling the API accepts must be one real {@code nft} (in a namespace this test creates) loads, as the same
 * address (see {@link #forNft} for dotted IPv4 tails). A prefix the data plane cannot load would make its
 * router's whole table fail to apply.
 */
class PrefixSpellingsIT {
    private static final long SEED = 13;
    private static final int SPELLINGS = 3000;

    @Test
    void every_address_spelling_the_api_accepts_nft_loads_as_the_same_address() throws Exception {
        Random random = new Random(SEED);
        Map<String, BigInteger> accepted = new LinkedHashMap<>();
        int refused = 0;
        for (int i = 0; i < SPELLINGS; i++) {
            String spelling = random.nextBoolean() ? ipv6(random) : ipv4(random);
            try {
                Cidr cidr = Cidr.parse("remote_ip_prefix", spelling);
                accepted.put(spelling, cidr.first());
                assertThat(cidr.prefixLength()).isEqualTo(cidr.version().bits());
            } catch (InvalidInputException e) {
                refused++;
            }
        }
        assertThat(accepted).as("the generator makes both kinds").hasSizeGreaterThan(SPELLINGS / 4);
        assertThat(refused).as("the generator makes both kinds").isGreaterThan(SPELLINGS / 4);

        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            StringBuilder batch = new StringBuilder("add table inet spellings\n"
                    + "add set inet spellings v4 { type ipv4_addr; }\nadd set inet spellings v6 { type ipv6_addr; }\n");
            accepted.keySet().forEach(spelling -> batch.append("add element inet spellings ")
                    .append(spelling.contains(":") ? "v6" : "v4").append(" { ").append(forNft(spelling))
                    .append(" }\n"));
            CommandRunner.Result loaded = namespace.exec("sh", "-c", "nft -f /dev/stdin <<'EOF'\n" + batch + "EOF\n");
            if (!loaded.succeeded()) {
                assertThat(refusedByNft(namespace, accepted.keySet())).as("spellings the API accepts, nft refuses")
                        .isEmpty();
            }
            assertThat(loaded.succeeded()).as("nft loads them all: %s", loaded.stderr()).isTrue();

            assertThat(listed(namespace, "v4")).as("IPv4 addresses as nft read them")
                    .isEqualTo(values(accepted, false));
            assertThat(listed(namespace, "v6")).as("IPv6 addresses as nft read them")
                    .isEqualTo(values(accepted, true));
        }
    }

    /** Spellings nft (and Python's ipaddress) refuse; the API must too. */
    @ParameterizedTest
    @ValueSource(strings = {"2001:00db8::/32", "02001:db8::", "2001:db8::00001", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "2001:db8:::/48", "::ffff:1.2.3.04", "10.0.0.256/8", "0x1.0.0.0", "1.2.3"})
    void a_spelling_nft_refuses_is_refused(String spelling) {
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            assertThat(loads(namespace, spelling.replaceFirst("/.*", ""))).as("nft loads %s", spelling).isFalse();
        }
        assertThatThrownBy(() -> Cidr.parse("remote_ip_prefix", spelling)).isInstanceOf(InvalidInputException.class);
    }

    private static List<String> refusedByNft(NetworkNamespace namespace, Set<String> spellings) {
        List<String> refused = new ArrayList<>();
        for (String spelling : spellings) {
            if (!loads(namespace, forNft(spelling))) {
                refused.add(spelling);
            }
        }
        return refused;
    }

    /**
     * The spelling as nft is given it: as written, except an IPv6 address with a dotted IPv4 tail, whose tail is
     * written as two hex groups by text alone. nft 1.0's scanner takes a dotted tail only after {@code ::} or
     * {@code ::ffff:}, where Python's ipaddress (Neutron) takes it after any six groups; the agent never hands nft
     * a spelling (it writes each block's first and last address in hex), so what must agree is the address.
     */
    static String forNft(String spelling) {
        int tail = spelling.lastIndexOf(':');
        if (tail < 0 || !spelling.contains(".")) {
            return spelling;
        }
        int[] octets = Arrays.stream(spelling.substring(tail + 1).split("\\.")).mapToInt(Integer::parseInt).toArray();
        return spelling.substring(0, tail + 1)
                + "%x:%x".formatted(octets[0] << 8 | octets[1], octets[2] << 8 | octets[3]);
    }

    private static boolean loads(NetworkNamespace namespace, String address) {
        String set = address.contains(":") ? "ipv6_addr" : "ipv4_addr";
        return namespace.exec("sh", "-c", "printf '%s' \"$0\" | nft -f -",
                "flush ruleset\nadd table inet t\nadd set inet t s { type %s; }\nadd element inet t s { %s }\n"
                        .formatted(set, address)).succeeded();
    }

    private static Set<BigInteger> values(Map<String, BigInteger> accepted, boolean v6) {
        Set<BigInteger> values = new HashSet<>();
        accepted.forEach((spelling, value) -> {
            if (spelling.contains(":") == v6) {
                values.add(value);
            }
        });
        return values;
    }

    private static Set<BigInteger> listed(NetworkNamespace namespace, String set) throws UnknownHostException {
        String listing = namespace.execOrFail("nft", "list", "set", "inet", "spellings", set);
        Matcher elements = Pattern.compile("elements = \\{([^}]*)}", Pattern.DOTALL).matcher(listing);
        Set<BigInteger> values = new HashSet<>();
        if (elements.find()) {
            for (String element : elements.group(1).split(",")) {
                if (!element.isBlank()) {
                    values.add(new BigInteger(1, InetAddress.getByName(element.strip()).getAddress()));
                }
            }
        }
        return values;
    }

    /** An IPv6 address spelled with groups of 1 to 5 digits, either case, maybe compressed or with an IPv4 tail. */
    private static String ipv6(Random random) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(1 << (random.nextInt(4) * 4 + 4));
        }
        boolean ipv4Tail = random.nextInt(6) == 0;
        int count = ipv4Tail ? 6 : 8;
        List<String> spelled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String hex = Integer.toHexString(groups[i]);
            int width = switch (random.nextInt(10)) {
                case 0 -> 4;
                case 1 -> 5;        // one leading zero too many: nft refuses
                case 2 -> hex.length() + 1;
                default -> hex.length();
            };
            hex = "0".repeat(Math.max(0, width - hex.length())) + hex;
            spelled.add(random.nextBoolean() ? hex.toUpperCase(Locale.ROOT) : hex);
        }
        String text;
        if (random.nextInt(3) > 0) {
            int start = random.nextInt(count);
            int end = start + random.nextInt(count - start) + 1;
            text = String.join(":", spelled.subList(0, start)) + "::" + String.join(":", spelled.subList(end, count));
        } else {
            text = String.join(":", spelled);
        }
        if (ipv4Tail) {
            text += (text.endsWith("::") ? "" : ":") + ipv4(random);
        }
        return random.nextInt(50) == 0 ? text + ":" : text;
    }

    /** A dotted quad, sometimes with a leading zero, an octet over 255 or a missing octet. */
    private static String ipv4(Random random) {
        int[] octets = random.ints(4, 0, random.nextInt(20) == 0 ? 300 : 256).toArray();
        String[] spelled = Arrays.stream(octets).mapToObj(octet -> (random.nextInt(20) == 0 ? "0" : "") + octet)
                .toArray(String[]::new);
        String text = String.join(".", spelled);
        return random.nextInt(40) == 0 ? text.substring(0, text.lastIndexOf('.')) : text;
    }
}
