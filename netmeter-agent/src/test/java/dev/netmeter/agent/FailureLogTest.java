package dev.netmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netmeter.agent.FailureLog.Key;
import dev.netmeter.agent.FailureLog.Step;
import dev.netmeter.agent.driver.DataPlaneException;
import dev.netmeter.domain.RouterId;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each failing step of a router is logged once until it works again, or fails otherwise. */
class FailureLogTest {
    private static final RouterId R1 = new RouterId(new UUID(1, 1));
    private static final Key APPLY_R1 = new Key(R1, Step.APPLY, "ns-1");

    private final FailureLog failures = new FailureLog(Duration.ofSeconds(30));
    private final Logger log = (Logger) LoggerFactory.getLogger(MeteringAgent.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        log.detachAppender(lines);
    }

    @Test
    void a_step_that_keeps_failing_the_same_way_is_logged_once_and_once_more_when_it_works_again() {
        assertThat(failures.attempt(APPLY_R1, failing("nft: timed out"))).isFalse();
        assertThat(failures.attempt(APPLY_R1, failing("nft: timed out"))).isFalse();
        assertThat(failures.attempt(APPLY_R1, failing("nft: no such namespace"))).isFalse();
        assertThat(failures.attempt(APPLY_R1, () -> { })).isTrue();
        assertThat(failures.attempt(APPLY_R1, () -> { })).isTrue();

        assertThat(messages()).containsExactly(
                "router " + R1 + ": apply in ns-1 failed, retried every 30 s: nft: timed out",
                "router " + R1 + ": apply in ns-1 failed, retried every 30 s: nft: no such namespace",
                "router " + R1 + ": apply in ns-1 works again");
    }

    @Test
    void each_step_and_namespace_of_a_router_fails_apart() {
        failures.attempt(APPLY_R1, failing("down"));
        failures.attempt(new Key(R1, Step.READ_COUNTERS, "ns-1"), failing("down"));
        failures.attempt(new Key(R1, Step.APPLY, "ns-2"), failing("down"));
        failures.attempt(new Key(R1, Step.READ_COUNTERS, "ns-1"), () -> { });

        assertThat(messages()).containsExactly(
                "router " + R1 + ": apply in ns-1 failed, retried every 30 s: down",
                "router " + R1 + ": read counters in ns-1 failed, retried every 30 s: down",
                "router " + R1 + ": apply in ns-2 failed, retried every 30 s: down",
                "router " + R1 + ": read counters in ns-1 works again");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static FailureLog.DataPlaneStep failing(String message) {
        return () -> {
            throw new DataPlaneException(message);
        };
    }
}
