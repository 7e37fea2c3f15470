package dev.netmeter.bench;

import static dev.netmeter.bench.BenchCommand.report;
import static dev.netmeter.bench.BenchCommand.summary;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.agent.usage.LedgerFile;
import dev.netmeter.agent.usage.UsageLedger;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netmeter bench ledger}: the agent's ledger at fleet size, written the way the agent writes it after
 * every measure (the whole file: temporary file, fsync, rename, directory fsync) beside the alternative the
 * ledger could take, an append-only journal that adds only the counters that changed since the last write
 * (one line per counter with its new total and window usage, then fsync), for several shares of counters
 * changed. The journal's replay and compaction are not timed: they would come on top of its appends.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Measure the agent's usage ledger: whole-file rewrite against an append-only journal.")
public final class LedgerBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--routers", defaultValue = "1000", description = "Routers on the host (default 1000).")
    private int routers;

    @Option(names = "--labels", defaultValue = "100", description = "Labels counted on every router (default 100).")
    private int labels;

    @Option(names = "--runs", defaultValue = "7", description = "Writes timed per way (default 7).")
    private int runs;

    @Override
    public Integer call() throws Exception {
        TemporaryDirectory scratch = new TemporaryDirectory("netmeter-bench-ledger");
        Path directory = scratch.path();
        try {
            UsageLedger ledger = ledger();
            report("counters", "%d (%d routers x %d labels), each with a total and window usage"
                    .formatted(ledger.lastTotals().size(), routers, labels));
            LedgerFile file = new LedgerFile(directory.resolve("ledger.json"));
            long[] rewrite = new long[runs];
            for (int i = -2; i < runs; i++) {     // two writes to warm up
                long start = System.nanoTime();
                file.write(ledger);
                if (i >= 0) {
                    rewrite[i] = System.nanoTime() - start;
                }
            }
            report("rewrite the whole ledger (what the agent does)", summary(rewrite)
                    + ", %d bytes".formatted(Files.size(directory.resolve("ledger.json"))));
            long[] read = new long[Math.max(3, runs / 2)];
            for (int i = 0; i < read.length; i++) {
                long start = System.nanoTime();
                file.read(Instant.now());
                read[i] = System.nanoTime() - start;
            }
            report("read it at start", summary(read));
            for (int percent : List.of(100, 10, 1)) {
                journal(directory.resolve("journal-" + percent), ledger, percent);
            }
        } finally {
            scratch.close();
        }
        return 0;
    }

    /** A ledger as after a measure: every counter with a total and usage in the open window. */
    private UsageLedger ledger() {
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        Map<LabelId, ProjectId> projects = new HashMap<>();
        Map<RouterId, String> tables = new HashMap<>();
        Map<UsageKey, TrafficCounter> totals = new HashMap<>();
        Map<UsageKey, Usage> window = new HashMap<>();
        LabelId[] labelIds = new LabelId[labels];
        for (int l = 0; l < labels; l++) {
            labelIds[l] = new LabelId(UUID.randomUUID());
            projects.put(labelIds[l], new ProjectId("project-" + l % 10));
        }
        for (int r = 0; r < routers; r++) {
            RouterId router = new RouterId(UUID.randomUUID());
            tables.put(router, "qrouter-" + router);
            for (int l = 0; l < labels; l++) {
                UsageKey key = new UsageKey(router, labelIds[l], projects.get(labelIds[l]), Optional.empty());
                totals.put(key, new TrafficCounter(1_000_000L + r * 1_000L + l, 1_000_000_000L + r * 1_000L + l));
                window.put(key, new Usage(10_000L + l, 10_000_000L + r, start, start.plusSeconds(270)));
            }
        }
        return new UsageLedger(projects, tables, totals, start, window, List.of());
    }

    /**
     * Appends, {@code runs} times, the lines of the counters a measure changed ({@code percent} of them), each
     * append synced as the agent must before it acts on it.
     */
    private void journal(Path path, UsageLedger ledger, int percent) throws IOException {
        List<UsageKey> changed = ledger.lastTotals().keySet().stream()
                .filter(key -> Math.floorMod(key.hashCode(), 100) < percent).toList();
        long[] nanos = new long[runs];
        long bytes = 0;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = -2; i < runs; i++) {
                long start = System.nanoTime();
                byte[] lines = lines(ledger, changed);
                ByteBuffer buffer = ByteBuffer.wrap(lines);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                    bytes = lines.length;
                }
            }
        }
        report("journal: append %d%% changed (%d counters)".formatted(percent, changed.size()),
                summary(nanos) + ", %d bytes".formatted(bytes));
    }

    /** One JSON line per changed counter, with the same fields as the ledger's. */
    private static byte[] lines(UsageLedger ledger, List<UsageKey> changed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(changed.size() * 300);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (UsageKey key : changed) {
                TrafficCounter total = ledger.lastTotals().get(key);
                Usage usage = ledger.window().get(key);
                json.writeStartObject();
                json.writeStringField("router", key.router().toString());
                json.writeStringField("label", key.label().toString());
                json.writeStringField("project", key.project().value());
                json.writeNumberField("total_packets", total.packets());
                json.writeNumberField("total_bytes", total.bytes());
                json.writeNumberField("packets", usage.packets());
                json.writeNumberField("bytes", usage.bytes());
                json.writeStringField("first_update", usage.firstUpdate().toString());
                json.writeStringField("last_update", usage.lastUpdate().toString());
                json.writeEndObject();
                json.writeRaw('\n');
            }
        }
        return out.toByteArray();
    }
}
