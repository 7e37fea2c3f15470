package dev.netmeter.agent.usage;

import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import dev.netmeter.domain.usage.UsageReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ledger on disk, as JSON. A write replaces the file whole: the new content goes to a temporary file,
 * which is synced, renamed over the old one, and the directory synced, so a crash or a full disk at any
 * point leaves either the old ledger or the new one, never a mix. Not thread-safe: the agent's one thread
 * uses it.
 */
public final class LedgerFile implements LedgerStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

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
            JsonNode root = JSON.readTree(file.toFile());
            if (root.path("format").asInt() != FORMAT) {
                throw new IOException("unknown format " + root.path("format"));
            }
            Map<LabelId, ProjectId> projects = new HashMap<>();
            root.path("projects").properties().forEach(entry -> projects.put(
                    LabelId.parse(entry.getKey()).orElseThrow(), new ProjectId(entry.getValue().asText())));
            Map<RouterId, String> tables = new HashMap<>();     // absent from ledgers before it was added
            root.path("tables").properties().forEach(entry -> tables.put(
                    RouterId.parse(entry.getKey()).orElseThrow(), entry.getValue().asText()));
            Map<UsageKey, TrafficCounter> totals = new HashMap<>();
            root.path("totals").forEach(item -> totals.put(key(item), new TrafficCounter(
                    item.path("packets").asLong(), item.path("bytes").asLong())));
            List<UsageReport> reports = new ArrayList<>();
            for (JsonNode report : root.path("unacknowledged")) {
                reports.add(new UsageReport(UUID.fromString(report.path("id").asText()),
                        Instant.parse(report.path("window_start").asText()),
                        Instant.parse(report.path("window_end").asText()), usage(report.path("usage"))));
            }
            return new UsageLedger(projects, tables, totals, Instant.parse(root.path("window_start").asText()),
                    usage(root.path("window")), reports);
        } catch (IOException | RuntimeException e) {
            throw new IOException(("the usage ledger %s cannot be read (%s); it holds counts not yet reported, so it "
                    + "is not replaced: repair it, or move it aside to start a new one (which takes the counters as "
                    + "they are then as its baseline: what they counted since this ledger was last written is lost)")
                    .formatted(file, e.getMessage()), e);
        }
    }

    @Override
    public void write(UsageLedger ledger) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT)
                .put("window_start", ledger.windowStart().toString());
        ObjectNode projects = root.putObject("projects");
        ledger.projects().forEach((label, project) -> projects.put(label.toString(), project.value()));
        ObjectNode tables = root.putObject("tables");
        ledger.tables().forEach((router, namespace) -> tables.put(router.toString(), namespace));
        ArrayNode totals = root.putArray("totals");
        ledger.lastTotals().forEach((key, total) -> key(totals.addObject(), key)
                .put("packets", total.packets()).put("bytes", total.bytes()));
        writeUsage(root.putArray("window"), ledger.window());
        ArrayNode reports = root.putArray("unacknowledged");
        for (UsageReport report : ledger.unacknowledged()) {
            ObjectNode item = reports.addObject().put("id", report.id().toString())
                    .put("window_start", report.windowStart().toString())
                    .put("window_end", report.windowEnd().toString());
            writeUsage(item.putArray("usage"), report.usage());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeSynced(temporary, JSON.writeValueAsBytes(root));
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

    private static void writeUsage(ArrayNode array, Map<UsageKey, Usage> usage) {
        usage.forEach((key, value) -> key(array.addObject(), key).put("packets", value.packets())
                .put("bytes", value.bytes()).put("first_update", value.firstUpdate().toString())
                .put("last_update", value.lastUpdate().toString()));
    }

    private static Map<UsageKey, Usage> usage(JsonNode array) {
        Map<UsageKey, Usage> usage = new HashMap<>();
        array.forEach(item -> usage.put(key(item), new Usage(item.path("packets").asLong(), item.path("bytes").asLong(),
                Instant.parse(item.path("first_update").asText()), Instant.parse(item.path("last_update").asText()))));
        return usage;
    }

    private static ObjectNode key(ObjectNode node, UsageKey key) {
        return node.put("router", key.router().toString()).put("label", key.label().toString())
                .put("project", key.project().value());
    }

    private static UsageKey key(JsonNode node) {
        return new UsageKey(RouterId.parse(node.path("router").asText()).orElseThrow(),
                LabelId.parse(node.path("label").asText()).orElseThrow(), new ProjectId(node.path("project").asText()));
    }
}
