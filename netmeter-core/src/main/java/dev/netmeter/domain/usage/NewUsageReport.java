package dev.netmeter.domain.usage;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LinuxNames;
import dev.netmeter.domain.ProjectId;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A usage report as an agent host sent it, checked: what the server stores once under the report's id.
 * Immutable.
 *
 * @param host the agent host that counted the usage
 * @param report the window and its usage; each (router, label, direction) at most once, times in whole seconds
 *     (Neutron's {@code first_update} and {@code last_update} are epoch seconds)
 */
public record NewUsageReport(String host, UsageReport report) {
    /** The most rows one report may hold: a host with 1,000 routers of 100 labels each. */
    public static final int MAX_ROWS = 100_000;
    /** Stands for every project where a row's project does not matter: (router, label, direction) is the key. */
    private static final ProjectId UNNAMED = new ProjectId("");

    public NewUsageReport {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(report, "report");
        LinuxNames.require(LinuxNames.hostNameProblem(host));
        if (report.windowEnd().isBefore(report.windowStart())) {
            throw new IllegalArgumentException("window end %s before window start %s"
                    .formatted(report.windowEnd(), report.windowStart()));
        }
        if (report.usage().size() > MAX_ROWS) {
            throw new IllegalArgumentException("%d rows, more than %d".formatted(report.usage().size(), MAX_ROWS));
        }
        Set<UsageKey> seen = new HashSet<>();
        report.usage().forEach((key, usage) -> {
            if (!seen.add(new UsageKey(key.router(), key.label(), UNNAMED, key.direction()))) {
                throw new IllegalArgumentException("router %s, label %s and direction %s twice".formatted(key.router(),
                        key.label(), key.direction().map(Direction::wireName).orElse("none")));
            }
            if (usage.firstUpdate().getNano() != 0 || usage.lastUpdate().getNano() != 0) {
                throw new IllegalArgumentException("usage times are whole seconds: " + usage);
            }
        });
    }

    /** How many (router, label, direction) rows the report holds. */
    public int rows() {
        return report.usage().size();
    }

    /**
     * The SHA-256 (hex) of everything stored of this report but its id: the host, the window to the
     * nanosecond, and each row in {@link UsageKey#ROUTER_LABEL_ORDER}. Two sendings of one report are the same
     * report exactly when their hashes are equal, whatever order the rows came in. A row's direction is written
     * only when it has one, so a direction-less report hashes as it did before directions existed (a report
     * stored then and resent after an upgrade is recognised); a direction is a length-prefixed string of 6 or 7
     * characters where the next row's router id would be one of 36, so no two reports write the same bytes.
     */
    public String contentSha256() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 128 * rows());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("netmeter usage report v1");
            out.writeUTF(host);
            writeInstant(out, report.windowStart());
            writeInstant(out, report.windowEnd());
            out.writeInt(rows());
            for (Map.Entry<UsageKey, Usage> row : report.usage().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(UsageKey.ROUTER_LABEL_ORDER)).toList()) {
                UsageKey key = row.getKey();
                Usage usage = row.getValue();
                out.writeUTF(key.router().toString());
                out.writeUTF(key.label().toString());
                out.writeUTF(key.project().value());    // length-prefixed: no separator can be forged
                out.writeLong(usage.packets());
                out.writeLong(usage.bytes());
                out.writeLong(usage.firstUpdate().getEpochSecond());
                out.writeLong(usage.lastUpdate().getEpochSecond());
                if (key.direction().isPresent()) {
                    out.writeUTF(key.direction().get().wireName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);      // a ByteArrayOutputStream does not fail
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }
}
