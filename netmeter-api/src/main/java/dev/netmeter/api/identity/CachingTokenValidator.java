package dev.netmeter.api.identity;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Remembers valid tokens, so that the identity service is asked about a token at most once per TTL
 * (keystonemiddleware's {@code token_cache_time}). Thread-safe. A Caffeine cache does the bookkeeping.
 *
 * <ul>
 *   <li>An entry lives for the TTL, never past the token's own expiry; the cache holds at most
 *       {@code maxEntries}: when full, expired entries go first, then those that would expire soonest.
 *       Lookups take no lock, so concurrent requests never queue on the cache.</li>
 *   <li>Concurrent validations of one token are coalesced: one call to the delegate, the others wait for
 *       its answer (or its failure).</li>
 *   <li>Invalid tokens are not remembered (a revoked token must stay revoked); the failed-attempt limit
 *       keeps guessing from reaching the identity service in bulk.</li>
 *   <li>Tokens are kept only as SHA-256 digests.</li>
 * </ul>
 * A token revoked in the identity service stays usable until its entry expires, as with keystonemiddleware.
 */
public final class CachingTokenValidator implements TokenValidator {
    private final TokenValidator delegate;
    private final int maxEntries;
    /** Pending validations are in the cache too: that is what coalesces them. */
    private final AsyncCache<String, Answer> cache;

    /**
     * What the identity service said: an identity, or none (an invalid token), or a failure; the last two expire
     * at once, so only callers already waiting see them. A failure is an answer rather than a failed future: Caffeine
     * logs every failed load with its stack trace, and an identity service that is down already gets one log line.
     */
    private record Answer(Identity identity, Throwable failure) {
    }

    public CachingTokenValidator(TokenValidator delegate, Duration ttl, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.delegate = delegate;
        this.maxEntries = maxEntries;
        this.cache = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new UntilTtlOrExpiry(ttl, clock))
                // Maintenance (expiry, the size bound) in the calling thread: no pool, and size() is exact.
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public Optional<Identity> validate(String token) {
        String key = digest(token);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> pending = cache.get(key, (k, executor) -> mine);
        if (pending == mine) {
            // Asked outside the cache's lock, in this thread; whoever came meanwhile waits on `mine`.
            Answer answer;
            try {
                answer = new Answer(delegate.validate(token).orElse(null), null);
            } catch (RuntimeException | Error e) {
                answer = new Answer(null, e);
            }
            mine.complete(answer);
            if (answer.identity() == null) {
                cache.asMap().remove(key, mine);   // expired already, but the timer wheel drops it only later
            } else {
                keepWithinBound();
            }
        }
        Answer answer = pending.join();
        if (answer.failure() instanceof RuntimeException e) {
            throw e;
        }
        if (answer.failure() instanceof Error e) {
            throw e;
        }
        return Optional.ofNullable(answer.identity());
    }

    /** How many tokens are remembered now (for tests and metrics). */
    public int size() {
        cache.synchronous().cleanUp();
        return Math.toIntExact(cache.synchronous().estimatedSize());
    }

    /**
     * Drops what would expire soonest once over the bound. Caffeine's own size bound (W-TinyLFU) would keep a
     * token by how often it was seen; here a token's remaining lifetime decides, as the timer wheel reads in order
     * (no sort of the whole map).
     */
    private void keepWithinBound() {
        var sync = cache.synchronous();
        long excess = sync.estimatedSize() - maxEntries;
        if (excess > 0) {
            sync.cleanUp();   // expired entries go first
            excess = sync.estimatedSize() - maxEntries * 9L / 10;
            if (excess > 0) {
                sync.invalidateAll(sync.policy().expireVariably().orElseThrow()
                        .oldest(Math.toIntExact(excess)).keySet());
            }
        }
    }

    /** The TTL, cut short by the token's own expiry; an expired token, or no identity, is not kept at all. */
    private record UntilTtlOrExpiry(Duration ttl, Clock clock) implements Expiry<String, Answer> {
        @Override
        public long expireAfterCreate(String key, Answer answer, long currentTime) {
            if (answer.identity() == null) {
                return 0;
            }
            Duration left = ttl;
            Optional<Instant> expiresAt = answer.identity().expiresAt();
            if (expiresAt.isPresent()) {
                Duration untilExpiry = Duration.between(clock.instant(), expiresAt.get());
                if (untilExpiry.compareTo(left) < 0) {
                    left = untilExpiry;
                }
            }
            return Math.max(0, left.toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, Answer answer, long currentTime, long currentDuration) {
            return expireAfterCreate(key, answer, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Answer answer, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    private static String digest(String token) {
        return HexFormat.of().formatHex(Sha256.digest().digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
