package dev.netmeter.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.IdentityServiceUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CachingTokenValidatorTest {
    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final FakeTokenValidator identityService = new FakeTokenValidator();

    /** A working in-memory identity service that counts the questions it is asked. */
    static final class FakeTokenValidator implements TokenValidator {
        final Map<String, Identity> valid = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean down;

        @Override
        public Optional<Identity> validate(String token) {
            calls.incrementAndGet();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (down) {
                throw new IdentityServiceUnavailableException();
            }
            return Optional.ofNullable(valid.get(token));
        }
    }

    private Identity identity(String project, Instant expiresAt) {
        return new Identity(new ProjectId(project), "u-" + project, "user", Set.of("member"), Optional.of(expiresAt));
    }

    @Test
    void a_valid_token_is_asked_about_once_per_ttl() {
        identityService.valid.put("t1", identity("p1", START.plus(Duration.ofHours(1))));
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 100, clock);

        for (int i = 0; i < 10; i++) {
            assertThat(cache.validate("t1")).map(Identity::projectId).contains(new ProjectId("p1"));
        }
        assertThat(identityService.calls).hasValue(1);

        clock.advance(Duration.ofMinutes(5));
        cache.validate("t1");
        assertThat(identityService.calls).as("asked again once the TTL is over").hasValue(2);
    }

    @Test
    void a_cached_token_is_never_trusted_past_its_own_expiry() {
        identityService.valid.put("t1", identity("p1", START.plus(Duration.ofSeconds(30))));
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 100, clock);
        cache.validate("t1");

        clock.advance(Duration.ofSeconds(30));
        identityService.valid.remove("t1");   // the identity service no longer knows it (expired)

        assertThat(cache.validate("t1")).isEmpty();
        assertThat(identityService.calls).hasValue(2);
    }

    @Test
    void invalid_tokens_are_not_remembered() {
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 100, clock);
        assertThat(cache.validate("nope")).isEmpty();
        identityService.valid.put("nope", identity("p1", START.plus(Duration.ofHours(1))));

        assertThat(cache.validate("nope")).isPresent();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void the_cache_holds_at_most_its_bound_dropping_what_expires_soonest() {
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 3, clock);
        for (int i = 0; i < 5; i++) {
            identityService.valid.put("t" + i, identity("p" + i, START.plus(Duration.ofHours(1))));
            cache.validate("t" + i);
            clock.advance(Duration.ofSeconds(1));   // each entry expires a second after the one before
        }

        assertThat(cache.size()).isLessThanOrEqualTo(3);
        int before = identityService.calls.get();
        cache.validate("t4");
        assertThat(identityService.calls).as("the newest stayed").hasValue(before);
        cache.validate("t0");
        assertThat(identityService.calls).as("the one expiring first was dropped").hasValue(before + 1);
    }

    @RepeatedTest(5) // a race: one green run proves little
    void concurrent_validations_of_one_token_make_one_call() throws Exception {
        identityService.valid.put("t1", identity("p1", START.plus(Duration.ofHours(1))));
        identityService.gate = new CountDownLatch(1);
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 100, clock);
        List<CompletableFuture<Optional<Identity>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> cache.validate("t1"), pool));
            }
            Thread.sleep(200);   // let every caller reach the cache while the first question is pending
            identityService.gate.countDown();
            for (var answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isPresent();
            }
        }
        assertThat(identityService.calls).hasValue(1);
    }

    @Test
    void a_failing_identity_service_fails_every_waiting_caller_and_nothing_is_cached() throws Exception {
        identityService.down = true;
        identityService.gate = new CountDownLatch(1);
        var cache = new CachingTokenValidator(identityService, Duration.ofMinutes(5), 100, clock);
        List<CompletableFuture<Optional<Identity>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> cache.validate("t1"), pool));
            }
            Thread.sleep(100);
            identityService.gate.countDown();
            for (var answer : answers) {
                assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IdentityServiceUnavailableException.class);
            }
        }
        assertThat(cache.size()).isZero();
        identityService.down = false;
        identityService.valid.put("t1", identity("p1", START.plus(Duration.ofHours(1))));
        assertThat(cache.validate("t1")).as("recovers with the identity service").isPresent();
    }
}
