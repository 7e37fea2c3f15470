package dev.netmeter.api.identity;

import dev.netmeter.domain.error.AuthenticationThrottledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed authentications per client, so that tokens cannot be guessed at speed and bad tokens
 * cannot flood the identity service. Each client has a bucket of {@code perMinute} failures that refills
 * continuously at {@code perMinute} a minute; a client whose bucket is empty is refused (429) before its
 * token is even looked at. At most {@code maxClients} buckets are kept; when full, those that have
 * refilled go first, then those failed least recently. A client that never failed costs one lock-free
 * lookup. Thread-safe.
 */
public final class FailedAuthenticationLimiter {
    private final double capacity;
    private final double perNano;
    private final Clock clock;
    private final int maxClients;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** One client's budget; guarded by its own monitor. */
    private static final class Bucket {
        double available;
        Instant updated;

        Bucket(double available, Instant updated) {
            this.available = available;
            this.updated = updated;
        }
    }

    public FailedAuthenticationLimiter(int perMinute, int maxClients, Clock clock) {
        if (perMinute < 1 || maxClients < 1) {
            throw new IllegalArgumentException("perMinute and maxClients must be at least 1");
        }
        this.capacity = perMinute;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.clock = clock;
        this.maxClients = maxClients;
    }

    /**
     * Refuses {@code client} if it has no failures left.
     *
     * @throws AuthenticationThrottledException saying when one failure will be allowed again
     */
    public void check(String client) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return;
        }
        synchronized (bucket) {
            refill(bucket);
            if (bucket.available < 1) {
                long nanos = (long) Math.ceil((1 - bucket.available) / perNano);
                throw new AuthenticationThrottledException(Duration.ofNanos(nanos));
            }
        }
    }

    /** Counts one failed authentication of {@code client}. */
    public void recordFailure(String client) {
        Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(capacity, clock.instant()));
        synchronized (bucket) {
            refill(bucket);
            bucket.available = Math.max(0, bucket.available - 1);
        }
        if (buckets.size() > maxClients) {
            evict();
        }
    }

    /** Forgets clients down to 90% of the bound: refilled ones first, then those that failed longest ago. */
    private synchronized void evict() {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket);
                return bucket.available >= capacity;
            }
        });
        int excess = buckets.size() - maxClients * 9 / 10;
        if (excess > 0) {
            buckets.entrySet().stream().sorted(Comparator.comparing(entry -> updated(entry.getValue())))
                    .limit(excess).map(Map.Entry::getKey).toList().forEach(buckets::remove);
        }
    }

    private static Instant updated(Bucket bucket) {
        synchronized (bucket) {
            return bucket.updated;
        }
    }

    private void refill(Bucket bucket) {
        Instant now = clock.instant();
        long elapsed = Duration.between(bucket.updated, now).toNanos();
        if (elapsed > 0) {
            bucket.available = Math.min(capacity, bucket.available + elapsed * perNano);
            bucket.updated = now;
        }
    }
}
