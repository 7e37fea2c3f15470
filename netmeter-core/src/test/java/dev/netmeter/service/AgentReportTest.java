package dev.netmeter.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentReportTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @ParameterizedTest(name = "last report {0} s ago: stale {1}")
    @CsvSource({
            "0,    false",
            "300,  false",   // one interval: the next report is due
            "900,  false",   // three intervals exactly: not yet
            "901,  true",    // more than three intervals: two reports were missed
            "-60,  false",   // a report from a server whose clock runs ahead is no alarm
    })
    void an_agent_is_stale_once_its_last_report_is_older_than_three_intervals(long secondsAgo, boolean stale) {
        assertThat(AgentReport.of("net-1", NOW.minusSeconds(secondsAgo), NOW, Duration.ofSeconds(300)))
                .isEqualTo(new AgentReport("net-1", NOW.minusSeconds(secondsAgo), stale));
    }
}
