package dev.netmeter.api.identity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers valid tokens, so that the identity service is asked about a token at most once per TTL
 * (keystonemiddleware's {@code token_cache_time}). Thread-safe.
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
    private final Duration ttl;
    private final Clock clock;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Optional<Identity>>> inFlight =
            new ConcurrentHashMap<>();

    private record Cached(Identity identity, Instant until) {
    }

    public CachingTokenValidator(TokenValidator delegate, Duration ttl, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    @Override
    public Optional<Identity> validate(String token) {
        String key = digest(token);
        Optional<Identity> cached = lookup(key);
        if (cached.isPresent()) {
            return cached;
        }
        CompletableFuture<Optional<Identity>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Identity>> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            // A validation that finished between the lookup and putIfAbsent has filled the cache already.
            Optional<Identity> result = lookup(key).or(() -> delegate.validate(token));
            result.ifPresent(identity -> remember(key, identity));
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** How many tokens are remembered now (for tests and metrics). */
    public int size() {
        return cache.size();
    }

    private Optional<Identity> lookup(String key) {
        Cached cached = cache.get(key);
        if (cached == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(cached.until())) {
            cache.remove(key, cached);
            return Optional.empty();
        }
        return Optional.of(cached.identity());
    }

    private void remember(String key, Identity identity) {
        Instant now = clock.instant();
        Instant until = now.plus(ttl);
        if (identity.expiresAt().isPresent() && identity.expiresAt().get().isBefore(until)) {
            until = identity.expiresAt().get();
        }
        if (now.isBefore(until)) {
            cache.put(key, new Cached(identity, until));
            if (cache.size() > maxEntries) {
                evict(now);
            }
        }
    }

    /** Drops expired entries, then those that expire soonest, down to 90% of the bound (amortising the scan). */
    private synchronized void evict(Instant now) {
        cache.values().removeIf(cached -> !now.isBefore(cached.until()));
        int excess = cache.size() - maxEntries * 9 / 10;
        if (excess > 0) {
            cache.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.comparing(Cached::until)))
                    .limit(excess).map(Map.Entry::getKey).toList().forEach(cache::remove);
        }
    }

    private static Optional<Identity> await(CompletableFuture<Optional<Identity>> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static String digest(String token) {
        return HexFormat.of().formatHex(Sha256.digest().digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
