package dev.netmeter.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.agent.driver.TrafficCounter;
import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.UsageKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on disk: read back as written, never half-written, never silently replaced when unreadable. */
class LedgerFileTest {
    private static final UsageKey KEY = new UsageKey(new RouterId(new UUID(1, 1)), new LabelId(new UUID(2, 1)),
            new ProjectId("p1"), Optional.of(Direction.INGRESS));
    /** {@link #KEY}'s label as counted before issue 17: one direction-less counter. */
    private static final UsageKey DIRECTION_LESS = new UsageKey(KEY.router(), KEY.label(), KEY.project(),
            Optional.empty());
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /**
     * A ledger as the agent wrote it before the wire records (netmeter-wire), byte for byte: an agent upgraded in
     * place reads the ledger its previous version left, and writes the same format back.
     */
    private static final String LEDGER_BEFORE_THE_WIRE_RECORDS = """
            {"format":1,"window_start":"2026-11-23T10:05:00Z",
            "projects":{"00000000-0000-0002-0000-000000000001":"p1"},
            "tables":{"00000000-0000-0001-0000-000000000001":"qrouter-1"},
            "totals":[{"router":"00000000-0000-0001-0000-000000000001",
            "label":"00000000-0000-0002-0000-000000000001","project":"p1","packets":9,"bytes":900}],
            "window":[{"router":"00000000-0000-0001-0000-000000000001",
            "label":"00000000-0000-0002-0000-000000000001","project":"p1","packets":2,"bytes":200,
            "first_update":"2026-11-23T10:05:30Z","last_update":"2026-11-23T10:05:30Z"}],
            "unacknowledged":[{"id":"00000000-0000-0009-0000-000000000009",
            "window_start":"2026-11-23T10:00:00Z","window_end":"2026-11-23T10:05:00Z",
            "usage":[{"router":"00000000-0000-0001-0000-000000000001",
            "label":"00000000-0000-0002-0000-000000000001","project":"p1","packets":7,"bytes":700,
            "first_update":"2026-11-23T10:00:30Z","last_update":"2026-11-23T10:00:30Z"}]}]}""";

    @TempDir
    Path directory;

    @Test
    void a_ledger_reads_back_as_it_was_written_and_a_missing_one_is_empty() throws IOException {
        LedgerFile file = new LedgerFile(directory.resolve("ledger.json"));
        assertThat(file.read(T0)).isEqualTo(UsageLedger.empty(T0));
        UsageLedger ledger = UsageLedger.empty(T0).knowing(Map.of(KEY.label(), KEY.project()))
                .withTables(Map.of(KEY.router(), "qrouter-1"))
                .measured(Map.of(KEY, new TrafficCounter(7, 700)), T0.plusSeconds(30))
                .reported(new UUID(9, 9), T0.plusSeconds(300))
                .measured(Map.of(KEY, new TrafficCounter(9, 900)), T0.plusSeconds(330));

        file.write(ledger);

        assertThat(file.read(T0.plusSeconds(999))).isEqualTo(ledger);
    }

    @Test
    void a_ledger_written_before_it_held_tables_reads_with_none() throws IOException {
        Path path = directory.resolve("ledger.json");
        Files.writeString(path, """
                {"format": 1, "window_start": "2026-11-23T10:00:00Z", "projects": {}, "totals": [], "window": [],
                 "unacknowledged": []}""");

        assertThat(new LedgerFile(path).read(T0.plusSeconds(5))).isEqualTo(UsageLedger.empty(T0));
    }

    /** A full disk or any failed write: the ledger on disk is still the previous one, whole. */
    @Test
    void a_write_that_fails_leaves_the_previous_ledger_whole() throws IOException {
        Path path = directory.resolve("ledger.json");
        LedgerFile file = new LedgerFile(path);
        UsageLedger before = UsageLedger.empty(T0).measured(Map.of(KEY, new TrafficCounter(1, 100)), T0);
        file.write(before);
        Files.createDirectory(directory.resolve("ledger.json.tmp"));     // the next write cannot create its file

        assertThatThrownBy(() -> file.write(before.measured(Map.of(KEY, new TrafficCounter(2, 200)), T0)))
                .isInstanceOf(IOException.class);

        assertThat(file.read(T0)).isEqualTo(before);
    }

    @Test
    void an_unreadable_ledger_stops_the_agent_rather_than_being_replaced() throws IOException {
        Path path = directory.resolve("ledger.json");
        Files.writeString(path, "{\"format\": 1, \"totals\": [{\"router\": \"not-a-uuid\"");

        assertThatThrownBy(() -> new LedgerFile(path).read(T0)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("repair it, or move it aside");
        assertThat(Files.readString(path)).startsWith("{\"format\": 1");
    }


    @Test
    void a_ledger_written_by_the_previous_version_reads_back_and_is_written_the_same() throws IOException {
        Path path = directory.resolve("ledger.json");
        Files.writeString(path, LEDGER_BEFORE_THE_WIRE_RECORDS);
        UsageLedger expected = UsageLedger.empty(T0).knowing(Map.of(KEY.label(), KEY.project()))
                .withTables(Map.of(KEY.router(), "qrouter-1"))
                .measured(Map.of(DIRECTION_LESS, new TrafficCounter(7, 700)), T0.plusSeconds(30))
                .reported(new UUID(9, 9), T0.plusSeconds(300))
                .measured(Map.of(DIRECTION_LESS, new TrafficCounter(9, 900)), T0.plusSeconds(330));

        UsageLedger read = new LedgerFile(path).read(T0.plusSeconds(999));
        new LedgerFile(path).write(read);

        assertThat(read).isEqualTo(expected);
        assertThat(Files.readString(path)).isEqualTo(LEDGER_BEFORE_THE_WIRE_RECORDS.replace("\n", ""));
    }

    /** Issue 17: the ledger keeps a label's counters per direction, beside an older agent's direction-less one. */
    @Test
    void a_ledger_with_counters_per_direction_and_direction_less_ones_reads_back_as_it_was_written()
            throws IOException {
        LedgerFile file = new LedgerFile(directory.resolve("ledger.json"));
        UsageKey egress = new UsageKey(KEY.router(), KEY.label(), KEY.project(), Optional.of(Direction.EGRESS));
        UsageLedger ledger = UsageLedger.empty(T0).knowing(Map.of(KEY.label(), KEY.project()))
                .measured(Map.of(DIRECTION_LESS, new TrafficCounter(5, 500), KEY, new TrafficCounter(1, 100),
                        egress, new TrafficCounter(2, 200)), T0.plusSeconds(30))
                .reported(new UUID(9, 9), T0.plusSeconds(300))
                .measured(Map.of(KEY, new TrafficCounter(3, 300), egress, new TrafficCounter(4, 400)),
                        T0.plusSeconds(330));

        file.write(ledger);

        assertThat(file.read(T0.plusSeconds(999))).isEqualTo(ledger);
        assertThat(ledger.unacknowledged().getFirst().usage()).containsOnlyKeys(DIRECTION_LESS, KEY, egress);
    }

    /** A count that is missing was read as 0: counts lost from the bill without a word. */
    @Test
    void a_ledger_missing_a_count_is_refused_naming_it_rather_than_read_as_zero() throws IOException {
        Path path = directory.resolve("ledger.json");
        Files.writeString(path, LEDGER_BEFORE_THE_WIRE_RECORDS.replace("\"packets\":9,", ""));

        assertThatThrownBy(() -> new LedgerFile(path).read(T0)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("'packets'");
    }
}
