package dev.netmeter.agent.usage;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import dev.netmeter.wire.LedgerDocument;
import dev.netmeter.wire.WireJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The ledger on disk, as JSON ({@link LedgerDocument}, bound strictly: a count that is missing is an error, not
 * 0). A write replaces the file whole: the new content goes to a temporary file,
 * which is synced, renamed over the old one, and the directory synced, so a crash or a full disk at any
 * point leaves either the old ledger or the new one, never a mix. Not thread-safe: the agent's one thread
 * uses it.
 */
public final class LedgerFile implements LedgerStore {
    private final Path file;

    public LedgerFile(Path file) {
        this.file = file;
    }

    @Override
    public UsageLedger read(Instant now) throws IOException {
        if (!Files.exists(file)) {
            return UsageLedger.empty(now);
        }
        try {
            LedgerDocument document = WireJson.MAPPER.readValue(file.toFile(), LedgerDocument.class);
            if (document.format() != LedgerDocument.FORMAT) {
                throw new IOException("unknown format " + document.format());
            }
            Map<LabelId, ProjectId> projects = new HashMap<>();
            document.projects().forEach((label, project) -> projects.put(id("label", label, LabelId::parse),
                    new ProjectId(project)));
            Map<RouterId, String> tables = new HashMap<>();
            if (document.tables() != null) {        // absent from ledgers before it was added
                document.tables().forEach((router, namespace) -> tables.put(id("router", router, RouterId::parse),
                        namespace));
            }
            Map<UsageKey, TrafficCounter> totals = new HashMap<>();
            document.totals().forEach(total -> totals.put(key(total.router(), total.label(), total.project(),
                    total.direction()),
                    new TrafficCounter(total.packets(), total.bytes())));
            List<UsageReport> reports = new ArrayList<>();
            for (LedgerDocument.Report report : document.unacknowledged()) {
                reports.add(new UsageReport(UUID.fromString(report.id()), Instant.parse(report.windowStart()),
                        Instant.parse(report.windowEnd()), usage(report.usage())));
            }
            return new UsageLedger(projects, tables, totals, Instant.parse(document.windowStart()),
                    usage(document.window()), reports);
        } catch (IOException | RuntimeException e) {
            throw new IOException(("the usage ledger %s cannot be read (%s); it holds counts not yet reported, so it "
                    + "is not replaced: repair it, or move it aside to start a new one (which takes the counters as "
                    + "they are then as its baseline: what they counted since this ledger was last written is lost)")
                    .formatted(file, e.getMessage()), e);
        }
    }

    @Override
    public void write(UsageLedger ledger) throws IOException {
        Map<String, String> projects = new LinkedHashMap<>();
        ledger.projects().forEach((label, project) -> projects.put(label.toString(), project.value()));
        Map<String, String> tables = new LinkedHashMap<>();
        ledger.tables().forEach((router, namespace) -> tables.put(router.toString(), namespace));
        List<LedgerDocument.Total> totals = ledger.lastTotals().entrySet().stream()
                .map(total -> new LedgerDocument.Total(total.getKey().router().toString(),
                        total.getKey().label().toString(), total.getKey().project().value(),
                        total.getValue().packets(), total.getValue().bytes(), wireName(total.getKey())))
                .toList();
        List<LedgerDocument.Report> reports = ledger.unacknowledged().stream()
                .map(report -> new LedgerDocument.Report(report.id().toString(), report.windowStart().toString(),
                        report.windowEnd().toString(), rows(report.usage()))).toList();
        LedgerDocument document = new LedgerDocument(LedgerDocument.FORMAT, ledger.windowStart().toString(),
                projects, tables, totals, rows(ledger.window()), reports);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeSynced(temporary, WireJson.MAPPER.writeValueAsBytes(document));
        } catch (IOException e) {
            // A full disk leaves a partial file: give its space back; the ledger written before stays whole.
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void writeSynced(Path target, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    private static List<LedgerDocument.Row> rows(Map<UsageKey, Usage> usage) {
        return usage.entrySet().stream().map(row -> new LedgerDocument.Row(row.getKey().router().toString(),
                row.getKey().label().toString(), row.getKey().project().value(), row.getValue().packets(),
                row.getValue().bytes(), row.getValue().firstUpdate().toString(),
                row.getValue().lastUpdate().toString(), wireName(row.getKey()))).toList();
    }

    private static Map<UsageKey, Usage> usage(List<LedgerDocument.Row> rows) {
        Map<UsageKey, Usage> usage = new HashMap<>();
        rows.forEach(row -> usage.put(key(row.router(), row.label(), row.project(), row.direction()),
                new Usage(row.packets(), row.bytes(), Instant.parse(row.firstUpdate()),
                        Instant.parse(row.lastUpdate()))));
        return usage;
    }

    /** A key as the ledger holds it; a ledger written before issue 17 has no directions (direction-less). */
    private static UsageKey key(String router, String label, String project, String direction) {
        return new UsageKey(id("router", router, RouterId::parse), id("label", label, LabelId::parse),
                new ProjectId(project), direction(direction));
    }

    /** A key's direction as the ledger spells it; {@code null} (left out) for none. */
    private static String wireName(UsageKey key) {
        return key.direction().map(Direction::wireName).orElse(null);
    }

    /** The direction the ledger spells {@code text}; {@code null} (a ledger before issue 17) is none. */
    private static Optional<Direction> direction(String text) {
        return text == null ? Optional.empty() : Optional.of(Direction.fromWire(text)
                .orElseThrow(() -> new IllegalArgumentException("not a direction: " + text)));
    }

    private static <T> T id(String what, String text, Function<String, Optional<T>> parser) {
        return parser.apply(text).orElseThrow(() -> new IllegalArgumentException("not a %s id: %s"
                .formatted(what, text)));
    }
}
