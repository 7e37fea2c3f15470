package dev.netmeter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeter.domain.billing.BillingCycle;
import dev.netmeter.domain.billing.BillingPeriod;
import dev.netmeter.domain.billing.BillingSchedule;
import dev.netmeter.server.ApiClient.Caller;
import dev.netmeter.server.ApiClient.Response;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Billing cycles over HTTP, on every database: a project nobody configured answers calendar months in UTC; an
 * admin's change is pending until the current period ends; a second change replaces it and the cycle in force
 * cancels it; values are checked strictly (400); a tenant sees its own project's cycle only (404 for another's)
 * and changes none (403). The server's clock is the real one, so the expected periods are computed from the
 * time of the request by the domain's rule, which BillingScheduleTest checks by hand.
 */
abstract class BillingApiContract extends HttpContract {
    static final String CYCLES = "/v2.0/metering/billing_cycles/";
    private static final String NOT_A_ZONE =
            " is not an IANA time zone name such as Europe/Berlin or UTC (fixed offsets are not accepted).";
    private static final BillingCycle BERLIN_15 = new BillingCycle(15, ZoneId.of("Europe/Berlin"));

    @Test
    void a_project_nobody_configured_bills_calendar_months_in_utc() {
        String project = newProject();

        Response shown = during(() -> api.get(CYCLES + project, Caller.member(project)), (before, answer) -> {
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            JsonNode cycle = answer.json().path("billing_cycle");
            assertThat(cycle.path("project_id").asText()).isEqualTo(project);
            assertThat(cycle.path("start_day").isInt()).isTrue();
            assertThat(cycle.path("start_day").asInt()).isEqualTo(1);
            assertThat(cycle.path("time_zone").asText()).isEqualTo("UTC");
            assertThat(cycle.path("pending").isNull()).isTrue();
            assertPeriod(cycle.path("current_period"), BillingSchedule.DEFAULT.periodOf(before));
        });
        assertThat(shown.json().path("billing_cycle").size()).isEqualTo(5);
    }

    @Test
    void an_admins_change_is_pending_until_the_current_period_ends() {
        String project = newProject();

        during(() -> put(project, Caller.ADMIN, 15, "Europe/Berlin"), (before, answer) -> {
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            JsonNode cycle = answer.json().path("billing_cycle");
            assertThat(cycle.path("start_day").asInt()).isEqualTo(1);
            assertThat(cycle.path("time_zone").asText()).isEqualTo("UTC");
            BillingPeriod current = BillingSchedule.DEFAULT.periodOf(before);
            assertPeriod(cycle.path("current_period"), current);
            assertThat(cycle.path("pending")).isEqualTo(ApiClient.JSON.createObjectNode()
                    .put("effective_from", current.name().plusMonths(1).toString()).put("start_day", 15)
                    .put("time_zone", "Europe/Berlin"));
        });
        Response shown = api.get(CYCLES + project, Caller.member(project));
        assertThat(shown.json().path("billing_cycle").path("pending").path("time_zone").asText())
                .isEqualTo("Europe/Berlin");
    }

    @Test
    void a_second_change_replaces_the_pending_one_and_the_cycle_in_force_cancels_it() {
        String project = newProject();
        put(project, Caller.ADMIN, 15, "Europe/Berlin");

        Response replaced = put(project, Caller.ADMIN, 28, "America/New_York");
        Response cancelled = put(project, Caller.ADMIN, 1, "Etc/UTC");

        assertThat(replaced.json().path("billing_cycle").path("pending").path("start_day").asInt()).isEqualTo(28);
        assertThat(replaced.json().path("billing_cycle").path("pending").path("time_zone").asText())
                .isEqualTo("America/New_York");
        assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
        assertThat(cancelled.json().path("billing_cycle").path("pending").isNull()).isTrue();
        assertThat(api.get(CYCLES + project, Caller.ADMIN).json().path("billing_cycle").path("pending").isNull())
                .isTrue();
    }

    @Test
    void a_tenant_sees_its_own_projects_cycle_only_and_changes_none() {
        String project = newProject();
        String other = newProject();

        assertNeutronError(api.get(CYCLES + other, Caller.member(project)), 404, "BillingCycleNotFound",
                "Billing cycle of project %s could not be found".formatted(other));
        assertNeutronError(put(other, Caller.member(project), 15, "Europe/Berlin"), 404, "BillingCycleNotFound",
                "Billing cycle of project %s could not be found".formatted(other));
        assertNeutronError(put(project, Caller.member(project), 15, "Europe/Berlin"), 403, "PolicyNotAuthorized",
                "rule:update_metering_billing_cycle is disallowed by policy");
        assertThat(api.get(CYCLES + project, Caller.ADMIN).json().path("billing_cycle").path("pending").isNull())
                .isTrue();
    }

    @Test
    void a_project_id_no_project_can_have_is_not_found() {
        String tooLong = "a".repeat(256);

        assertThat(api.get(CYCLES + tooLong, Caller.ADMIN).status()).isEqualTo(404);
        // refused before it reaches the handler, as a NUL in any path is
        assertThat(api.get(CYCLES + "a%00b", Caller.ADMIN).status()).isEqualTo(400);
        assertThat(api.get(CYCLES + "a".repeat(255), Caller.ADMIN).status()).isEqualTo(200);
    }

    static Stream<Arguments> invalidChanges() {
        return Stream.of(
                arguments("{\"start_day\": 0, \"time_zone\": \"UTC\"}",
                        "Invalid input for start_day. Reason: '0' is not an integer from 1 to 28."),
                arguments("{\"start_day\": 29, \"time_zone\": \"UTC\"}",
                        "Invalid input for start_day. Reason: '29' is not an integer from 1 to 28."),
                arguments("{\"start_day\": \"15\", \"time_zone\": \"UTC\"}",
                        "Invalid input for start_day. Reason: '15' is not an integer from 1 to 28."),
                arguments("{\"start_day\": 15.0, \"time_zone\": \"UTC\"}",
                        "Invalid input for start_day. Reason: '15.0' is not an integer from 1 to 28."),
                arguments("{\"start_day\": null, \"time_zone\": \"UTC\"}",
                        "Invalid input for start_day. Reason: 'None' is not an integer from 1 to 28."),
                arguments("{\"start_day\": 1, \"time_zone\": \"+02:00\"}",
                        "Invalid input for time_zone. Reason: '+02:00'" + NOT_A_ZONE),
                arguments("{\"start_day\": 1, \"time_zone\": \"UTC+02:00\"}",
                        "Invalid input for time_zone. Reason: 'UTC+02:00'" + NOT_A_ZONE),
                arguments("{\"start_day\": 1, \"time_zone\": \"Etc/GMT-2\"}",
                        "Invalid input for time_zone. Reason: 'Etc/GMT-2' is a fixed offset, not a region's time zone "
                                + "such as Europe/Berlin."),
                arguments("{\"start_day\": 1, \"time_zone\": \"Mars/Olympus_Mons\"}",
                        "Invalid input for time_zone. Reason: 'Mars/Olympus_Mons'" + NOT_A_ZONE),
                arguments("{\"start_day\": 1, \"time_zone\": \"europe/berlin\"}",
                        "Invalid input for time_zone. Reason: 'europe/berlin'" + NOT_A_ZONE),
                arguments("{\"start_day\": 1, \"time_zone\": 1}",
                        "Invalid input for time_zone. Reason: '1' is not a time zone name."),
                arguments("{\"start_day\": 1}",
                        "Failed to parse request. Required attribute 'time_zone' not specified"),
                arguments("{\"time_zone\": \"UTC\"}",
                        "Failed to parse request. Required attribute 'start_day' not specified"),
                arguments("{\"start_day\": 1, \"time_zone\": \"UTC\", \"color\": \"red\"}",
                        "Unrecognized attribute(s) 'color'"),
                arguments("{\"start_day\": 1, \"time_zone\": \"UTC\", \"pending\": null}",
                        "Cannot update read-only attribute pending"),
                arguments("{\"project_id\": \"x\"}",
                        "Cannot update read-only attribute project_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidChanges")
    void invalid_changes_are_refused_and_change_nothing(String attributes, String message) {
        String project = newProject();

        Response refused = api.put(CYCLES + project, Caller.ADMIN, "{\"billing_cycle\": " + attributes + "}");

        assertNeutronError(refused, 400, "HTTPBadRequest", message);
        assertThat(api.get(CYCLES + project, Caller.ADMIN).json().path("billing_cycle").path("pending").isNull())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"billing_cycles\": {}}", "{\"billing_cycle\": []}", "[]"})
    void a_body_without_one_billing_cycle_is_refused(String body) {
        Response refused = api.put(CYCLES + newProject(), Caller.ADMIN, body);

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.errorType()).isEqualTo("HTTPBadRequest");
    }

    @Test
    void the_answer_to_a_change_shows_the_same_as_a_read() {
        String project = newProject();
        Response changed = put(project, Caller.ADMIN, BERLIN_15.startDay(), BERLIN_15.zoneName());

        Response shown = api.get(CYCLES + project, Caller.member(project));

        assertThat(shown.json()).isEqualTo(changed.json());
    }

    private Response put(String project, Caller caller, int startDay, String zone) {
        return api.put(CYCLES + project, caller, json(Map.of("billing_cycle",
                Map.of("start_day", startDay, "time_zone", zone))));
    }

    /** A check of an answer against the instant just before the request that gave it. */
    private interface Check {
        void accept(Instant before, Response answer);
    }

    /**
     * Runs {@code request} and checks its answer against the time before it; should a period have ended
     * meanwhile (the request ran across a boundary), runs it once more.
     */
    private static Response during(Supplier<Response> request, Check check) {
        for (int attempt = 0; ; attempt++) {
            Instant before = Instant.now();
            Response answer = request.get();
            Instant after = Instant.now();
            if (attempt == 0 && !BillingSchedule.DEFAULT.periodOf(before)
                    .equals(BillingSchedule.DEFAULT.periodOf(after))) {
                continue;
            }
            check.accept(before, answer);
            return answer;
        }
    }

    private static void assertPeriod(JsonNode shown, BillingPeriod expected) {
        assertThat(shown).isEqualTo(ApiClient.JSON.createObjectNode().put("name", expected.name().toString())
                .put("start", expected.start().toString()).put("end", expected.end().toString()));
    }
}
