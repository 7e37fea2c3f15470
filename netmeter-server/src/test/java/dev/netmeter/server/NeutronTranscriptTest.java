package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The transcript parser and the table of divergences, without a server. */
class NeutronTranscriptTest {
    private final NeutronTranscript transcript = NeutronTranscript.load("/neutron21/neutron-metering-api.md");

    @Test
    void finds_every_numbered_case_in_order_with_a_request_and_a_response() {
        assertThat(transcript.exchanges()).extracting(NeutronTranscript.Exchange::number)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 105).boxed().toList());
        assertThat(transcript.exchanges()).allSatisfy(exchange -> {
            assertThat(exchange.request().method()).isIn("GET", "POST", "PUT", "DELETE");
            assertThat(exchange.request().target()).startsWith("/");
            assertThat(exchange.response().status()).isBetween(200, 599);
        });
    }

    @Test
    void reads_headers_and_bodies_and_keeps_empty_bodies_empty() {
        NeutronTranscript.Exchange created = transcript.exchanges().get(5);    // 6. create label
        assertThat(created.request().headers()).containsEntry("X-Roles", "admin,member,reader")
                .containsEntry("Content-Type", "application/json");
        assertThat(created.request().body())
                .isEqualTo("{\"metering_label\": {\"name\": \"web\", \"description\": \"web traffic\", "
                        + "\"shared\": false}}");
        assertThat(created.response().header("content-type")).hasValue("application/json");

        NeutronTranscript.Exchange empty = transcript.exchanges().get(34);    // 35. empty body
        assertThat(empty.request().body()).isEmpty();
        assertThat(transcript.exchanges().get(98).response().body()).isEmpty();    // 99. delete rule: 204
    }

    @Test
    void every_divergence_is_a_metering_case_with_a_reason() {
        assertThat(TranscriptDivergences.all()).allSatisfy((number, divergence) -> {
            assertThat(number).isBetween(1, NeutronTranscriptContract.LAST_METERING_CASE);
            assertThat(divergence.reason()).isNotBlank();
        });
    }
}
