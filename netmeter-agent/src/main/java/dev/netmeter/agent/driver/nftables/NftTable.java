package dev.netmeter.agent.driver.nftables;

import java.util.List;
import java.util.Objects;

/**
 * One router's table as {@link NftRuleset} renders it, in parts the driver can add and delete one by one: the
 * label counters, the chains and maps named after their content (so that a part whose content stays keeps its
 * name across updates, and a part with a new name is new content), and the rules of the base chain, which alone
 * decide which parts packets reach. Immutable.
 *
 * @param counters the names of the label counters
 * @param parts the chains and maps, each before the parts that refer to it
 * @param forwardRules the rules of the base chain {@link #FORWARD}, each as one line of nft
 */
record NftTable(List<String> counters, List<Part> parts, List<String> forwardRules) {
    /** The base chain: the only chain netmeter keeps under one name and never deletes. */
    static final String FORWARD = "forward";
    /** How {@link #FORWARD} hooks into the kernel. */
    static final String FORWARD_HOOK = "type filter hook forward priority filter + 10; policy accept;";

    NftTable {
        counters = List.copyOf(counters);
        parts = List.copyOf(parts);
        forwardRules = List.copyOf(forwardRules);
    }

    /** A chain or a map, with its declaration's lines as nft writes them inside the table's braces. */
    record Part(Kind kind, String name, String body) {
        Part {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
        }

        /** The declaration, as it stands inside {@code table inet netmeter { … }}. */
        String declaration() {
            return "\t" + kind.keyword + " " + name + " {\n" + body + "\t}\n";
        }
    }

    /** What a part is. */
    enum Kind {
        CHAIN("chain"), MAP("map");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }
    }

    /** The counters' declarations, as they stand inside the table's braces. */
    static String counterDeclaration(String counter) {
        return "\tcounter " + counter + " {\n\t}\n";
    }

    /** The base chain's declaration, with its rules or (to create it before they can run) without. */
    static String forwardDeclaration(List<String> rules) {
        StringBuilder chain = new StringBuilder("\tchain ").append(FORWARD).append(" {\n\t\t").append(FORWARD_HOOK)
                .append('\n');
        rules.forEach(rule -> chain.append("\t\t").append(rule).append('\n'));
        return chain.append("\t}\n").toString();
    }

    /** The whole table as one {@code nft -f} declaration. */
    String text() {
        StringBuilder nft = new StringBuilder("table inet ").append(NftRuleset.TABLE).append(" {\n");
        counters.forEach(counter -> nft.append(counterDeclaration(counter)));
        parts.forEach(part -> nft.append(part.declaration()));
        return nft.append(forwardDeclaration(forwardRules)).append("}\n").toString();
    }
}
