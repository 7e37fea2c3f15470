package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Usage rows packed into one binary value: the rows of a report for one project ({@code metering_usage_blocks}),
 * or the running totals of one router ({@code metering_router_totals}).
 *
 * <p>Why packed: a fleet's agent host sends up to 100,000 (router, label, direction) rows every report interval.
 * Stored as a table row each, every one of them is a B-tree insert per index plus an upsert of its running
 * total, and the embedded database spent 6.5–8.3 s per such report (issue 16). Packed, a report is a few dozen
 * values, and the reads that need single rows ({@code GET /usage}, {@code /metrics} per router) unpack them.
 *
 * <p>Layout, big-endian: a format byte, the row count (int), then per row the router's and the label's UUIDs
 * (two longs each), the direction (a byte: 0 none, 1 ingress, 2 egress), packets, bytes, first and last update
 * (epoch seconds), each a long. Totals also hold the project (length-prefixed UTF-8) after the direction; a
 * block's rows share the block's project. Values never outlive a format: a new layout gets a new format byte.
 */
final class PackedUsage {
    /** The most rows one block holds: 650 KB, well under MariaDB's default packet limit of 16 MB. */
    static final int MAX_BLOCK_ROWS = 10_000;
    private static final byte BLOCK_FORMAT = 1;
    private static final byte TOTALS_FORMAT = 2;
    private static final int ROW_BYTES = 2 * 16 + 1 + 4 * 8;

    private PackedUsage() {
    }

    /** A block of rows of one project, in the order given. */
    static byte[] block(List<Map.Entry<UsageKey, Usage>> rows) {
        ByteBuffer out = ByteBuffer.allocate(5 + rows.size() * ROW_BYTES);
        out.put(BLOCK_FORMAT).putInt(rows.size());
        for (Map.Entry<UsageKey, Usage> row : rows) {
            UsageKey key = row.getKey();
            putKey(out, key.router(), key.label(), key.direction());
            putUsage(out, row.getValue());
        }
        return out.array();
    }

    /** Hands each row of {@code block} to {@code row}, with the block's project, in the stored order. */
    static void readBlock(byte[] block, ProjectId project, BiConsumer<UsageKey, Usage> row) {
        ByteBuffer in = ByteBuffer.wrap(block);
        int rows = header(in, BLOCK_FORMAT);
        for (int i = 0; i < rows; i++) {
            RouterId router = new RouterId(uuid(in));
            LabelId label = new LabelId(uuid(in));
            Optional<Direction> direction = direction(in.get());
            row.accept(new UsageKey(router, label, project, direction), usage(in));
        }
    }

    /** The running totals of one router, in the order given (the keys' project is written with each). */
    static byte[] totals(List<Map.Entry<UsageKey, Usage>> totals) {
        byte[][] projects = new byte[totals.size()][];
        int size = 5;
        for (int i = 0; i < totals.size(); i++) {
            projects[i] = totals.get(i).getKey().project().value().getBytes(StandardCharsets.UTF_8);
            size += ROW_BYTES + 4 + projects[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(TOTALS_FORMAT).putInt(totals.size());
        for (int i = 0; i < totals.size(); i++) {
            UsageKey key = totals.get(i).getKey();
            putKey(out, key.router(), key.label(), key.direction());
            out.putInt(projects[i].length).put(projects[i]);
            putUsage(out, totals.get(i).getValue());
        }
        return out.array();
    }

    /** Hands each total of {@code totals} to {@code total}, in the stored order. */
    static void readTotals(byte[] totals, BiConsumer<UsageKey, Usage> total) {
        ByteBuffer in = ByteBuffer.wrap(totals);
        int rows = header(in, TOTALS_FORMAT);
        for (int i = 0; i < rows; i++) {
            RouterId router = new RouterId(uuid(in));
            LabelId label = new LabelId(uuid(in));
            Optional<Direction> direction = direction(in.get());
            byte[] project = new byte[in.getInt()];
            in.get(project);
            total.accept(new UsageKey(router, label, new ProjectId(new String(project, StandardCharsets.UTF_8)),
                    direction), usage(in));
        }
    }

    private static int header(ByteBuffer in, byte format) {
        byte found = in.get();
        if (found != format) {
            throw new IllegalStateException("packed usage of format %d where %d was expected".formatted(found, format));
        }
        return in.getInt();
    }

    private static void putKey(ByteBuffer out, RouterId router, LabelId label, Optional<Direction> direction) {
        out.putLong(router.value().getMostSignificantBits()).putLong(router.value().getLeastSignificantBits());
        out.putLong(label.value().getMostSignificantBits()).putLong(label.value().getLeastSignificantBits());
        out.put((byte) (int) direction.map(known -> known.ordinal() + 1).orElse(0));
    }

    private static void putUsage(ByteBuffer out, Usage usage) {
        out.putLong(usage.packets()).putLong(usage.bytes()).putLong(usage.firstUpdate().getEpochSecond())
                .putLong(usage.lastUpdate().getEpochSecond());
    }

    private static UUID uuid(ByteBuffer in) {
        return new UUID(in.getLong(), in.getLong());
    }

    private static Optional<Direction> direction(byte code) {
        return code == 0 ? Optional.empty() : Optional.of(Direction.values()[code - 1]);
    }

    private static Usage usage(ByteBuffer in) {
        long packets = in.getLong();
        long bytes = in.getLong();
        return new Usage(packets, bytes, Instant.ofEpochSecond(in.getLong()), Instant.ofEpochSecond(in.getLong()));
    }
}
