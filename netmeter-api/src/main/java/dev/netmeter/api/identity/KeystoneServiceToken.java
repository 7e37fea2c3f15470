package dev.netmeter.api.identity;

import dev.netmeter.domain.error.IdentityServiceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * netmeter's own Keystone token, as the {@code keystone.*} service user: got with its password, held while it
 * is fresh, renewed before it expires or when a service refuses it. Used to validate callers' tokens and to
 * call other OpenStack services (Neutron) as that user. Thread-safe.
 */
public final class KeystoneServiceToken {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneServiceToken.class);
    /** A service token is renewed this long before it expires, so that it never expires mid-request. */
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(2);

    private final KeystoneSettings settings;
    private final Clock clock;
    private final HttpClient http;
    /**
     * One login at a time, and callers arriving meanwhile take its token. A lock rather than {@code synchronized}:
     * the login blocks on HTTP, and on JDK 21–23 a virtual thread blocked inside a monitor pins its carrier thread,
     * so a slow Keystone could stall every request thread.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private Held held;   // guarded by lock

    private record Held(String token, Instant renewAt) {
    }

    public KeystoneServiceToken(KeystoneSettings settings, Clock clock) {
        this(settings, clock, httpClient(settings));
    }

    KeystoneServiceToken(KeystoneSettings settings, Clock clock, HttpClient http) {
        this.settings = settings;
        this.clock = clock;
        this.http = http;
    }

    static HttpClient httpClient(KeystoneSettings settings) {
        return HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The token held while it is fresh, else a new one.
     *
     * @throws IdentityServiceUnavailableException if Keystone cannot issue one (the reason is logged)
     */
    public String token() {
        return renew(null);
    }

    /**
     * A token other than {@code rejected} (one a service refused): a new one, unless another thread already got
     * one since.
     *
     * @throws IdentityServiceUnavailableException if Keystone cannot issue one (the reason is logged)
     */
    public String renew(String rejected) {
        lock.lock();
        try {
            return renewLocked(rejected);
        } finally {
            lock.unlock();
        }
    }

    private String renewLocked(String rejected) {
        if (held != null && !held.token().equals(rejected) && clock.instant().isBefore(held.renewAt())) {
            return held.token();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/auth/tokens?nocatalog"))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KeystoneTokenValidator.passwordAuthentication(settings)))
                .build();
        HttpResponse<String> response = send(http, settings, request);
        if (response.statusCode() != 201) {
            held = null;
            throw KeystoneTokenValidator.unavailable("Keystone answered %d when the service user authenticated"
                    .formatted(response.statusCode()));
        }
        String token = response.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> KeystoneTokenValidator.unavailable(
                        "Keystone issued the service user no X-Subject-Token"));
        Instant expiresAt = KeystoneTokenValidator.expiry(KeystoneTokenValidator.parse(response.body()).path("token"))
                .orElseThrow(() -> KeystoneTokenValidator.unavailable(
                        "Keystone's service token has no valid expires_at"));
        held = new Held(token, expiresAt.minus(RENEW_BEFORE_EXPIRY));
        LOG.info("authenticated to Keystone at {} as {}; service token valid until {}", settings.url(),
                settings.username(), expiresAt);
        return token;
    }

    static HttpResponse<String> send(HttpClient http, KeystoneSettings settings, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw KeystoneTokenValidator.unavailable("cannot reach Keystone at %s: %s".formatted(settings.url(),
                    e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KeystoneTokenValidator.unavailable("interrupted while waiting for Keystone");
        }
    }
}
