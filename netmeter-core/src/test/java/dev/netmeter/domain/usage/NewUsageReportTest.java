package dev.netmeter.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.RouterId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NewUsageReportTest {
    private static final Instant T0 = Instant.parse("2026-11-23T20:00:00Z");
    private static final UUID ID = UUID.randomUUID();
    private static final UsageKey A = key("p1");

    /**
     * Pinned: rows are kept in a map whose order varies from one JVM to the next ({@code Map.copyOf}), so a hash
     * that depended on it would differ from this value in almost every run.
     */
    @Test
    void the_content_hash_does_not_depend_on_the_order_rows_came_in() {
        Map<UsageKey, Usage> rows = new LinkedHashMap<>();
        for (int i = 12; i > 0; i--) {
            rows.put(new UsageKey(new RouterId(new UUID(1, i % 3)), new LabelId(new UUID(2, i)),
                    new ProjectId("p" + i)),
                    Usage.of(i, 100L * i, T0));
        }
        NewUsageReport report = new NewUsageReport("h1", new UsageReport(new UUID(9, 9), T0, T0, rows));

        assertThat(report.contentSha256())
                .isEqualTo("12eb9056d66fb725bf95432f24a60e2b0dc6c7810d53fc4f29c9ab154dd05717");
    }

    static Stream<UnaryOperator<NewUsageReport>> changes() {
        return Stream.of(
                report -> new NewUsageReport("h2", report.report()),
                report -> report("h1", T0.plusNanos(1), report.report().usage()),
                report -> report("h1", T0, Map.of(A, Usage.of(1, 11, T0))),
                report -> report("h1", T0, Map.of(A, Usage.of(2, 10, T0))),
                report -> report("h1", T0, Map.of(A, new Usage(1, 10, T0.minusSeconds(1), T0))),
                report -> report("h1", T0, Map.of(A, Usage.of(1, 10, T0.plusSeconds(1)))),
                report -> report("h1", T0, Map.of(new UsageKey(A.router(), A.label(), new ProjectId("p2")),
                        Usage.of(1, 10, T0))),
                // a project id that ends where the next field would start cannot pass for another one
                report -> report("h1", T0, Map.of(new UsageKey(A.router(), A.label(), new ProjectId("p1\u0000")),
                        Usage.of(1, 10, T0))),
                report -> report("h1", T0, Map.of(directed(A, Direction.INGRESS), Usage.of(1, 10, T0))),
                report -> report("h1", T0, Map.of(directed(A, Direction.EGRESS), Usage.of(1, 10, T0))),
                report -> report("h1", T0, Map.of()));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void any_change_of_what_is_stored_changes_the_hash(UnaryOperator<NewUsageReport> change) {
        NewUsageReport report = report("h1", T0, Map.of(A, Usage.of(1, 10, T0)));

        assertThat(change.apply(report).contentSha256()).isNotEqualTo(report.contentSha256());
    }

    @Test
    void a_router_and_label_twice_an_inverted_window_and_sub_second_times_are_refused() {
        UsageKey sameRouterAndLabel = new UsageKey(A.router(), A.label(), new ProjectId("p2"));
        assertThatThrownBy(() -> report("h1", T0, Map.of(A, Usage.of(1, 1, T0), sameRouterAndLabel,
                Usage.of(1, 1, T0)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NewUsageReport("h1", new UsageReport(ID, T0, T0.minusNanos(1), Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> report("h1", T0, Map.of(A, Usage.of(1, 1, T0.plusMillis(1)))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> report("net node", T0, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> report("h1", T0, Map.of(directed(A, Direction.EGRESS), Usage.of(1, 1, T0),
                directed(sameRouterAndLabel, Direction.EGRESS), Usage.of(1, 1, T0))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_router_and_label_may_come_once_per_direction_and_once_without_one() {
        NewUsageReport report = report("h1", T0, Map.of(A, Usage.of(1, 1, T0), directed(A, Direction.INGRESS),
                Usage.of(2, 2, T0), directed(A, Direction.EGRESS), Usage.of(3, 3, T0)));

        assertThat(report.rows()).isEqualTo(3);
    }

    private static UsageKey directed(UsageKey key, Direction direction) {
        return new UsageKey(key.router(), key.label(), key.project(), Optional.of(direction));
    }

    private static NewUsageReport report(String host, Instant start, Map<UsageKey, Usage> rows) {
        return new NewUsageReport(host, new UsageReport(ID, start, T0.plusSeconds(300), rows));
    }

    private static UsageKey key(String project) {
        return new UsageKey(new RouterId(UUID.randomUUID()), new LabelId(UUID.randomUUID()), new ProjectId(project));
    }
}
