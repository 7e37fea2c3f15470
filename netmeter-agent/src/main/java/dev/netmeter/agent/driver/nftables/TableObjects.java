package dev.netmeter.agent.driver.nftables;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chains, maps and counters netmeter's table holds in one namespace, and the rules of its base chain when
 * they are known (the driver wrote them; after an agent restart they are not). Immutable.
 */
record TableObjects(Set<String> chains, Set<String> maps, Set<String> counters, Optional<List<String>> forwardRules) {
    /** No table. */
    static final TableObjects NONE = new TableObjects(Set.of(), Set.of(), Set.of(), Optional.of(List.of()));
    private static final Pattern OBJECT = Pattern.compile("^\\t(chain|map|counter) (\\S+) \\{", Pattern.MULTILINE);

    TableObjects {
        chains = Set.copyOf(chains);
        maps = Set.copyOf(maps);
        counters = Set.copyOf(counters);
        forwardRules = forwardRules.map(List::copyOf);
    }

    /** What a table holds, read from its text as nft lists it; the base chain's rules are taken as unknown. */
    static TableObjects listed(String table) {
        Set<String> chains = new LinkedHashSet<>();
        Set<String> maps = new LinkedHashSet<>();
        Set<String> counters = new LinkedHashSet<>();
        Matcher object = OBJECT.matcher(table);
        while (object.find()) {
            (switch (object.group(1)) {
                case "chain" -> chains;
                case "map" -> maps;
                default -> counters;
            }).add(object.group(2));
        }
        return new TableObjects(chains, maps, counters, Optional.empty());
    }

    /** What {@code table} holds once applied. */
    static TableObjects of(NftTable table) {
        Set<String> chains = new LinkedHashSet<>(List.of(NftTable.FORWARD));
        Set<String> maps = new LinkedHashSet<>();
        table.parts().forEach(part -> (part.kind() == NftTable.Kind.CHAIN ? chains : maps).add(part.name()));
        return new TableObjects(chains, maps, Set.copyOf(table.counters()), Optional.of(table.forwardRules()));
    }

    /** Whether the table holds {@code part} (a part's name says its content). */
    boolean holds(NftTable.Part part) {
        return (part.kind() == NftTable.Kind.CHAIN ? chains : maps).contains(part.name());
    }
}
