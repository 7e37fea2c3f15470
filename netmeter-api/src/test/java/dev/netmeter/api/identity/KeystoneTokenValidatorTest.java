package dev.netmeter.api.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeter.domain.ProjectId;
import dev.netmeter.domain.error.IdentityServiceUnavailableException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Token validation against a Keystone v3 token endpoint on loopback, over real HTTP. */
class KeystoneTokenValidatorTest {
    private static final FakeKeystone.User ALICE = new FakeKeystone.User("u-alice", "alice", "pw", "p-alice",
            "alice-project", List.of("member", "reader"));

    private final FakeKeystone keystone = FakeKeystone.start();
    private final KeystoneTokenValidator validator =
            new KeystoneTokenValidator(keystone.settings(Duration.ofSeconds(2)), Clock.systemUTC());

    @AfterEach
    void stop() {
        keystone.close();
    }

    @Test
    void a_valid_token_yields_its_project_user_roles_and_expiry() {
        Instant expiry = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MICROS);
        String token = keystone.issue(ALICE, expiry, true);

        assertThat(validator.validate(token)).contains(new Identity(new ProjectId("p-alice"), "u-alice", "alice",
                Set.of("member", "reader"), Optional.of(expiry)));
    }

    @Test
    void unknown_revoked_expired_and_unscoped_tokens_are_invalid() {
        String revoked = keystone.issue(ALICE);
        keystone.revoke(revoked);

        assertThat(validator.validate("gAAAAAnot-a-token")).isEmpty();
        assertThat(validator.validate(revoked)).isEmpty();
        assertThat(validator.validate(keystone.issue(ALICE, Instant.now().minusSeconds(1), true))).isEmpty();
        assertThat(validator.validate(keystone.issue(ALICE, Instant.now().plusSeconds(600), false)))
                .as("a domain-scoped token owns nothing in metering").isEmpty();
        assertThat(validator.validate("bad\ntoken")).as("never sent on").isEmpty();
    }

    @Test
    void a_token_keystone_still_vouches_for_after_its_expiry_is_refused_by_our_clock() {
        Clock twoHoursAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        var skewed = new KeystoneTokenValidator(keystone.settings(Duration.ofSeconds(2)), twoHoursAhead);
        assertThat(skewed.validate(keystone.issue(ALICE))).isEmpty();
    }

    @Test
    void the_service_authenticates_once_and_reuses_its_own_token() {
        String token = keystone.issue(ALICE);
        for (int i = 0; i < 5; i++) {
            assertThat(validator.validate(token)).isPresent();
        }
        assertThat(keystone.authentications()).isEqualTo(1);
        assertThat(keystone.validations()).isEqualTo(5);
    }

    @Test
    void a_service_token_keystone_stopped_accepting_is_replaced_once() {
        assertThat(validator.validate(keystone.issue(ALICE))).isPresent();
        keystone.revokeAllButUsers();   // a key rotation: our own token is gone too

        assertThat(validator.validate(keystone.issue(ALICE))).as("re-authenticated after the 401").isPresent();
        assertThat(keystone.authentications()).isEqualTo(2);
    }

    @Test
    void validations_refused_together_with_the_old_service_token_log_in_again_once() throws Exception {
        assertThat(validator.validate(keystone.issue(ALICE))).isPresent();
        keystone.revokeAllButUsers();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(keystone.issue(ALICE));
        }
        keystone.delay(Duration.ofMillis(200));   // all 20 are refused before the first new login answers

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<Identity>>> answers = new ArrayList<>();
            tokens.forEach(token -> answers.add(pool.submit(() -> validator.validate(token))));
            for (Future<Optional<Identity>> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isPresent();
            }
        }
        assertThat(keystone.authentications()).isEqualTo(2);
    }

    @Test
    void wrong_service_credentials_are_unavailability_never_a_pass() {
        var settings = keystone.settings(Duration.ofSeconds(2));
        var wrong = new KeystoneTokenValidator(new KeystoneSettings(settings.url(), "netmeter", "wrong", "Default",
                "service", "Default", settings.url(), Duration.ofSeconds(2)), Clock.systemUTC());

        assertThatThrownBy(() -> wrong.validate(keystone.issue(ALICE)))
                .isInstanceOf(IdentityServiceUnavailableException.class);
    }

    @Test
    void a_service_user_without_the_right_to_validate_is_unavailability() {
        keystone.addUser(new FakeKeystone.User("u-netmeter", "netmeter", "service-secret", "p-service", "service",
                List.of("member")));

        assertThatThrownBy(() -> validator.validate(keystone.issue(ALICE)))
                .isInstanceOf(IdentityServiceUnavailableException.class);
    }

    @Test
    void an_unreachable_slow_or_failing_keystone_is_unavailability() {
        String token = keystone.issue(ALICE);
        keystone.failWith(500);
        assertThatThrownBy(() -> validator.validate(token)).isInstanceOf(IdentityServiceUnavailableException.class);

        keystone.failWith(0);
        keystone.delay(Duration.ofSeconds(3));
        var impatient = new KeystoneTokenValidator(keystone.settings(Duration.ofMillis(300)), Clock.systemUTC());
        assertThatThrownBy(() -> impatient.validate(token)).isInstanceOf(IdentityServiceUnavailableException.class);

        keystone.delay(Duration.ZERO);
        var nowhere = new KeystoneTokenValidator(new KeystoneSettings(URI.create("http://127.0.0.1:9/v3"), "netmeter",
                "x", "Default", "service", "Default", URI.create("http://127.0.0.1:9/v3"), Duration.ofSeconds(1)),
                Clock.systemUTC());
        assertThatThrownBy(() -> nowhere.validate(token))
                .isInstanceOf(IdentityServiceUnavailableException.class)
                .hasMessageNotContaining("127.0.0.1");
    }
}
