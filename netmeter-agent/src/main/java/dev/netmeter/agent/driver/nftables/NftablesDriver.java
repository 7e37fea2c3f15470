package dev.netmeter.agent.driver.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.agent.driver.CommandRunner;
import dev.netmeter.agent.driver.CommandRunner.Result;
import dev.netmeter.agent.driver.DataPlaneDriver;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.agent.driver.LabelCounter;
import dev.netmeter.agent.driver.RouterMetering;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables data plane: in each router's namespace, one {@code inet} table that netmeter owns
 * ({@link NftRuleset}). Counters are objects named after their labels and directions and are never recreated, so
 * they keep their values across every update.
 *
 * <p>An update ({@link Update#STAGED}) is three {@code nft -f} transactions, none of which changes what a packet
 * already in flight meets: (1) add the chains and maps whose content is new (their names are digests of their
 * content, so a part that stays is not touched) and the new counters, all unreachable; (2) replace
 * the base chain's rules so that they look up the new maps, which are complete by then; (3) delete the chains,
 * maps and counters that nothing reaches any more. A packet thus walks either the old parts or the new, each
 * whole: docs/architecture.md says which kernel behaviour this relies on, and why one transaction that creates
 * a map and starts using it loses packets. An agent killed between the steps leaves parts that the next apply
 * reuses (same content, same name) or deletes. Not thread-safe: the agent calls it from one thread.
 */
public final class NftablesDriver implements DataPlaneDriver {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final String TABLE = "inet " + NftRuleset.TABLE;
    /** A label's counter: per direction, or direction-less (made by an agent before issue 17). */
    private static final Pattern COUNTER_NAME = Pattern.compile("l_([0-9a-f]{32})(?:_(ingress|egress))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How an apply changes the table. */
    public enum Update {
        /** Add what is new, switch the base chain to it, delete what is old: three transactions, lossless. */
        STAGED,
        /**
         * Flush the table and define it whole in one transaction: netmeter's way before issue 12, kept as the
         * baseline of {@code netmeter bench nft} and to show the loss the staged update avoids. Packets that
         * cross while it commits can go uncounted.
         */
        FULL_RELOAD
    }

    private final CommandRunner commands;
    private final Update update;
    /** What the last successful apply left in each namespace, so the next one knows what to add and delete. */
    private final Map<String, TableObjects> applied = new HashMap<>();

    public NftablesDriver(CommandRunner commands) {
        this(commands, Update.STAGED);
    }

    public NftablesDriver(CommandRunner commands, Update update) {
        this.commands = commands;
        this.update = update;
    }

    @Override
    public void apply(RouterMetering router) throws DataPlaneException {
        String namespace = router.namespace();
        TableObjects previous = applied.containsKey(namespace) ? applied.get(namespace) : existing(namespace);
        NftTable table = NftRuleset.table(router);
        applied.remove(namespace);      // until it succeeds: a killed nft may have committed, read the table again
        switch (update) {
            case STAGED -> applyStaged(namespace, previous, table);
            case FULL_RELOAD -> nftScript(namespace, fullReload(previous, table));
        }
        applied.put(namespace, TableObjects.of(table));
    }

    private void applyStaged(String namespace, TableObjects previous, NftTable table) throws DataPlaneException {
        List<String> newCounters = table.counters().stream().filter(counter -> !previous.counters().contains(counter))
                .toList();
        List<NftTable.Part> newParts = table.parts().stream().filter(part -> !previous.holds(part)).toList();
        StringBuilder add = new StringBuilder();
        newCounters.forEach(counter -> add.append(NftTable.counterDeclaration(counter)));
        newParts.forEach(part -> add.append(part.declaration()));
        if (!previous.chains().contains(NftTable.FORWARD)) {
            add.append(NftTable.forwardDeclaration(List.of()));       // no rules yet: nothing reaches the new parts
        }
        if (!add.isEmpty()) {
            nftScript(namespace, "add table " + TABLE + "\ntable " + TABLE + " {\n" + add + "}\n");
        }
        if (!previous.forwardRules().equals(Optional.of(table.forwardRules()))) {
            StringBuilder change = new StringBuilder("flush chain ").append(TABLE).append(' ')
                    .append(NftTable.FORWARD).append('\n');
            table.forwardRules().forEach(rule -> change.append("add rule ").append(TABLE).append(' ')
                    .append(NftTable.FORWARD).append(' ').append(rule).append('\n'));
            try {
                nftScript(namespace, change.toString());
            } catch (DataPlaneException e) {
                // Refused: take back what step 1 added, so that a refused change leaves the table as it was.
                nftScript(namespace, deletion(newParts.stream().filter(part -> part.kind() == NftTable.Kind.CHAIN)
                        .map(NftTable.Part::name).toList(), newParts.stream().filter(part -> part.kind()
                        == NftTable.Kind.MAP).map(NftTable.Part::name).toList(), newCounters));
                throw e;
            }
        }
        TableObjects next = TableObjects.of(table);
        String stale = deletion(previous.chains().stream().filter(chain -> !next.chains().contains(chain)).toList(),
                previous.maps().stream().filter(map -> !next.maps().contains(map)).toList(),
                previous.counters().stream().filter(counter -> !next.counters().contains(counter)).toList());
        if (!stale.isEmpty()) {
            nftScript(namespace, stale);
        }
    }

    /**
     * One transaction deleting chains, maps and counters that refer to each other in any way: the chains' rules
     * go first (they use the maps), then the maps (their elements jump to the chains), then the chains and the
     * counters their rules named.
     */
    private static String deletion(List<String> chains, List<String> maps, List<String> counters) {
        StringBuilder script = new StringBuilder();
        chains.forEach(chain -> script.append("flush chain ").append(TABLE).append(' ').append(chain).append('\n'));
        maps.forEach(map -> script.append("delete map ").append(TABLE).append(' ').append(map).append('\n'));
        chains.forEach(chain -> script.append("delete chain ").append(TABLE).append(' ').append(chain).append('\n'));
        counters.forEach(counter -> script.append("delete counter ").append(TABLE).append(' ').append(counter)
                .append('\n'));
        return script.toString();
    }

    /** {@link Update#FULL_RELOAD}: every chain and map deleted and defined again, in one transaction. */
    private static String fullReload(TableObjects previous, NftTable table) {
        StringBuilder script = new StringBuilder("add table ").append(TABLE).append('\n');
        script.append("flush table ").append(TABLE).append('\n');
        previous.maps().forEach(map -> script.append("delete map ").append(TABLE).append(' ').append(map).append('\n'));
        previous.chains().forEach(chain -> script.append("delete chain ").append(TABLE).append(' ').append(chain)
                .append('\n'));
        script.append(table.text());
        previous.counters().stream().filter(counter -> !table.counters().contains(counter))
                .forEach(counter -> script.append("delete counter ").append(TABLE).append(' ').append(counter)
                        .append('\n'));
        return script.toString();
    }

    private void nftScript(String namespace, String script) throws DataPlaneException {
        nft(namespace, List.of("-f", "-"), script);
    }

    @Override
    public Map<LabelCounter, TrafficCounter> readCounters(String namespace) throws DataPlaneException {
        // Every table's counters: nft 1.0.6 fetches less with no table named (measured: 162 against 187 ms at
        // 10,000 rules); ours are picked out below.
        Result listed = run(namespace, List.of("-j", "list", "counters"), "");
        if (isMissingNamespace(listed)) {
            applied.remove(namespace);
            return Map.of();        // gone, and its counters with it
        }
        check(namespace, List.of("-j", "list", "counters"), listed);
        Map<LabelCounter, TrafficCounter> counters = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        try {
            for (JsonNode item : JSON.readTree(listed.stdout()).path("nftables")) {
                JsonNode counter = item.path("counter");
                Matcher name = COUNTER_NAME.matcher(counter.path("name").asText());
                if (counter.isObject() && counter.path("table").asText().equals(NftRuleset.TABLE)
                        && counter.path("family").asText().equals("inet") && name.matches()) {
                    counters.put(new LabelCounter(labelOf(name.group(1)),
                                    Optional.ofNullable(name.group(2)).map(NftablesDriver::direction)),
                            new TrafficCounter(counter.path("packets").asLong(), counter.path("bytes").asLong()));
                    names.add(name.group());
                }
            }
        } catch (IOException e) {
            throw new DataPlaneException("cannot parse the counters nft listed in namespace " + namespace, e);
        }
        TableObjects cached = applied.get(namespace);
        if (cached != null && !cached.counters().equals(names)) {
            applied.remove(namespace);      // someone else changed the table (or the namespace was recreated)
        }
        return counters;
    }

    @Override
    public void remove(String namespace) throws DataPlaneException {
        List<String> arguments = List.of("delete", "table", "inet", NftRuleset.TABLE);
        Result result = run(namespace, arguments, "");
        applied.remove(namespace);
        if (!isMissingNamespace(result) && !isMissingTable(result)) {
            check(namespace, arguments, result);    // a namespace that is gone has no table left to delete
        }
    }

    /** What netmeter's table in {@code namespace} holds now (after an agent restart), or nothing. */
    private TableObjects existing(String namespace) throws DataPlaneException {
        Result listed = nftOrMissingTable(namespace, List.of("list", "table", "inet", NftRuleset.TABLE));
        return listed == null ? TableObjects.NONE : TableObjects.listed(listed.stdout());
    }

    /** Runs nft in the namespace; null if netmeter's table does not exist there. */
    private Result nftOrMissingTable(String namespace, List<String> arguments) throws DataPlaneException {
        Result result = run(namespace, arguments, "");
        return isMissingTable(result) ? null : check(namespace, arguments, result);
    }

    private static boolean isMissingTable(Result result) {
        return !result.succeeded() && !isMissingNamespace(result)
                && result.stderr().contains("No such file or directory");
    }

    /** Whether {@code ip netns exec} found no such namespace (not: could not enter one, e.g. for permissions). */
    private static boolean isMissingNamespace(Result result) {
        return !result.succeeded() && result.stderr().contains("Cannot open network namespace")
                && result.stderr().contains("No such file or directory");
    }

    private Result nft(String namespace, List<String> arguments, String stdin) throws DataPlaneException {
        return check(namespace, arguments, run(namespace, arguments, stdin));
    }

    private Result run(String namespace, List<String> arguments, String stdin) throws DataPlaneException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "nft"));
        command.addAll(arguments);
        return commands.run(command, stdin, COMMAND_TIMEOUT);
    }

    private static Result check(String namespace, List<String> arguments, Result result) throws DataPlaneException {
        if (result.succeeded()) {
            return result;
        }
        String command = "ip netns exec %s nft %s".formatted(namespace, String.join(" ", arguments));
        String what;
        if (isMissingNamespace(result)) {
            what = "namespace %s does not exist (yet)".formatted(namespace);
        } else if (result.stderr().contains("exec of \"")) {
            what = "nft cannot be run (is nftables installed?): %s: %s".formatted(command, result.stderr().strip());
        } else {
            what = "%s failed (exit %d): %s".formatted(command, result.exitCode(), result.stderr().strip());
        }
        throw new DataPlaneException(what);
    }

    private static Direction direction(String wireName) {
        return Direction.fromWire(wireName).orElseThrow();
    }

    private static LabelId labelOf(String hex) {
        return new LabelId(new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16)));
    }
}
