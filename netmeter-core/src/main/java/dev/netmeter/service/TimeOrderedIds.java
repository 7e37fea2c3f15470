package dev.netmeter.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * UUID version 7 (RFC 9562) ids: a millisecond timestamp followed by a counter and random bits, strictly
 * increasing within this process. Resources sort by id in creation order, which gives lists a stable
 * default order and lets pages be found with an index. Thread-safe.
 */
public final class TimeOrderedIds implements Supplier<UUID> {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis;
    private long counter;

    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized UUID get() {
        long millis = clock.millis();
        if (millis > lastMillis) {
            lastMillis = millis;
            counter = random.nextInt(1 << 11);    // leaves room for 2^11 more ids in this millisecond
        } else if (++counter >= 1 << 12) {      // counter exhausted: borrow the next millisecond
            lastMillis++;
            counter = 0;
        }
        long high = (lastMillis << 16) | (0x7L << 12) | counter;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
