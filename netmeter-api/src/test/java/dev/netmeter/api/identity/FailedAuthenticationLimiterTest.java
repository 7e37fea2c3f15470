package dev.netmeter.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.netmeter.domain.error.AuthenticationThrottledException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailedAuthenticationLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final FailedAuthenticationLimiter limiter = new FailedAuthenticationLimiter(10, 1000, clock);

    private void fail(String client, int times) {
        for (int i = 0; i < times; i++) {
            limiter.check(client);
            limiter.recordFailure(client);
        }
    }

    @Test
    void a_client_is_refused_after_its_budget_of_failures_and_told_when_to_retry() {
        fail("10.0.0.1", 10);

        var refused = catchThrowableOfType(AuthenticationThrottledException.class, () -> limiter.check("10.0.0.1"));
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(6));   // one failure refills every 6 s
        assertThat(refused.getMessage()).contains("retry in 6 s");
        assertThatCode(() -> limiter.check("10.0.0.2")).as("other clients are not affected").doesNotThrowAnyException();
    }

    @Test
    void the_budget_refills_at_the_configured_rate() {
        fail("10.0.0.1", 10);
        clock.advance(Duration.ofSeconds(6));
        assertThatCode(() -> fail("10.0.0.1", 1)).doesNotThrowAnyException();
        assertThatCode(() -> limiter.check("10.0.0.1")).isInstanceOf(AuthenticationThrottledException.class);

        clock.advance(Duration.ofMinutes(5));
        assertThatCode(() -> fail("10.0.0.1", 10)).as("never more than the bucket holds").doesNotThrowAnyException();
        assertThatCode(() -> limiter.check("10.0.0.1")).isInstanceOf(AuthenticationThrottledException.class);
    }

    @Test
    void it_remembers_a_bounded_number_of_clients_forgetting_the_least_recent_failures_first() {
        var small = new FailedAuthenticationLimiter(1, 2, clock);
        small.recordFailure("a");
        clock.advance(Duration.ofMillis(10));
        small.recordFailure("b");
        clock.advance(Duration.ofMillis(10));
        small.recordFailure("c");   // over the bound: a, whose failure is oldest, is forgotten

        assertThatCode(() -> small.check("a")).doesNotThrowAnyException();
        assertThatCode(() -> small.check("c")).isInstanceOf(AuthenticationThrottledException.class);
    }
}
