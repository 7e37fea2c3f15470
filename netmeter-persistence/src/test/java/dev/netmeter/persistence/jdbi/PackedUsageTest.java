package dev.netmeter.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import dev.netmeter.domain.usage.Usage;
import dev.netmeter.domain.usage.UsageKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PackedUsageTest {
    private static final RouterId ROUTER = new RouterId(new UUID(-1, 1));
    private static final LabelId LABEL = new LabelId(new UUID(Long.MIN_VALUE, Long.MAX_VALUE));

    private static final List<Map.Entry<UsageKey, Usage>> ROWS = List.of(
            Map.entry(key("p1", Optional.empty()), new Usage(0, 0, Instant.EPOCH, Instant.EPOCH)),
            Map.entry(key("p1", Optional.of(Direction.INGRESS)), new Usage(Long.MAX_VALUE, Long.MAX_VALUE,
                    Instant.ofEpochSecond(9_223_372_036L), Instant.ofEpochSecond(9_223_372_036L))),
            Map.entry(key("p1", Optional.of(Direction.EGRESS)), new Usage(3, 300, Instant.ofEpochSecond(1_795_464_000L),
                    Instant.ofEpochSecond(1_795_464_270L))));

    @Test
    void a_block_reads_back_every_row_in_order_with_the_blocks_project() {
        List<Map.Entry<UsageKey, Usage>> read = new ArrayList<>();

        PackedUsage.readBlock(PackedUsage.block(ROWS), new ProjectId("p1"), (key, usage) -> read.add(Map.entry(key,
                usage)));

        assertThat(read).isEqualTo(ROWS);
    }

    @Test
    void totals_read_back_with_each_keys_own_project_of_any_characters() {
        List<Map.Entry<UsageKey, Usage>> totals = List.of(ROWS.get(0),
                Map.entry(key("päß \t\"\u0000😀", Optional.of(Direction.EGRESS)), ROWS.get(2).getValue()),
                Map.entry(key("", Optional.of(Direction.INGRESS)), ROWS.get(1).getValue()));
        List<Map.Entry<UsageKey, Usage>> read = new ArrayList<>();

        PackedUsage.readTotals(PackedUsage.totals(totals), (key, usage) -> read.add(Map.entry(key, usage)));

        assertThat(read).isEqualTo(totals);
    }

    @Test
    void an_empty_block_holds_no_row_and_one_format_is_not_read_as_the_other() {
        List<UsageKey> read = new ArrayList<>();
        PackedUsage.readBlock(PackedUsage.block(List.of()), new ProjectId("p"), (key, usage) -> read.add(key));

        assertThat(read).isEmpty();
        assertThatThrownBy(() -> PackedUsage.readTotals(PackedUsage.block(ROWS), (key, usage) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format 1 where 2 was expected");
        assertThatThrownBy(() -> PackedUsage.readBlock(PackedUsage.totals(ROWS), new ProjectId("p"),
                (key, usage) -> { })).isInstanceOf(IllegalStateException.class);
    }

    private static UsageKey key(String project, Optional<Direction> direction) {
        return new UsageKey(ROUTER, LABEL, new ProjectId(project), direction);
    }
}
