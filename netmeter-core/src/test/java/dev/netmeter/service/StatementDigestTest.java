package dev.netmeter.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeter.domain.Direction;
import dev.netmeter.domain.LabelId;
import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.billing.Adjustment;
import dev.netmeter.domain.billing.BurstableRate;
import dev.netmeter.domain.billing.StatementLine;
import dev.netmeter.service.BillingService.Line;
import dev.netmeter.service.BillingService.NamedAdjustment;
import dev.netmeter.service.BillingService.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The canonical form a closed statement's hash is taken over, written out by hand (docs/api.md). */
class StatementDigestTest {
    private static final LabelId WEB = new LabelId(UUID.fromString("0a000000-0000-0000-0000-000000000001"));
    private static final LabelId GONE = new LabelId(UUID.fromString("0b000000-0000-0000-0000-000000000002"));

    private static Statement statement(String labelName, long bytes) {
        return new Statement(new ProjectId("p1"), Optional.of(YearMonth.of(2026, 11)),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                List.of(new Line(new StatementLine(WEB, Optional.of(Direction.INGRESS), bytes, 100,
                        new BurstableRate(0, 1_000, 8_640)), Optional.of(labelName))),
                List.of(new NamedAdjustment(new Adjustment(GONE, Optional.empty(), YearMonth.of(2026, 10), 500, 6),
                        Optional.empty())),
                Optional.empty());
    }

    @Test
    void members_are_sorted_by_name_without_white_space_and_strings_escaped_as_rfc_8785_does() {
        // a quote, a newline, a control character without a short escape, and a letter beyond ASCII
        String canonical = StatementDigest.canonical(statement("we\"b\n\u0001\u00e9", 37_500));

        assertThat(canonical).isEqualTo("{\"adjustments\":[{\"bytes\":500,\"direction\":null,\"label_id\":"
                + "\"0b000000-0000-0000-0000-000000000002\",\"label_name\":null,\"period\":\"2026-10\",\"pkts\":6}],"
                + "\"end\":\"2026-12-01T00:00:00Z\",\"lines\":[{\"bytes\":37500,\"direction\":\"ingress\","
                + "\"label_id\":\"0a000000-0000-0000-0000-000000000001\",\"label_name\":\"we\\\"b\\n\\u0001\u00e9\","
                + "\"p95_bps\":0,\"peak_bps\":1000,\"pkts\":100,\"samples\":8640}],\"period\":\"2026-11\","
                + "\"project_id\":\"p1\",\"start\":\"2026-11-01T00:00:00Z\"}");
    }

    @Test
    void the_hash_is_the_sha_256_of_the_canonical_form_in_utf_8_and_changes_with_any_figure() throws Exception {
        Statement statement = statement("web", 37_500);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(StatementDigest.canonical(statement).getBytes(StandardCharsets.UTF_8)));

        assertThat(StatementDigest.sha256(statement)).isEqualTo(expected);
        assertThat(StatementDigest.sha256(statement.closedAt(Instant.EPOCH)))
                .as("closing is not part of the content").isEqualTo(expected);
        assertThat(statement.closedAt(Instant.EPOCH).closing().orElseThrow().contentSha256()).isEqualTo(expected);
        assertThat(StatementDigest.sha256(statement("web", 37_501))).isNotEqualTo(expected);
        assertThat(StatementDigest.sha256(statement("Web", 37_500))).as("a label name").isNotEqualTo(expected);
    }
}
