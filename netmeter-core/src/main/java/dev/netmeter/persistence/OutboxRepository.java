package dev.netmeter.persistence;

import dev.netmeter.domain.usage.Notification;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Notifications waiting to be published (the outbox): written in the transaction that stores what they tell
 * of, and claimed under a lease by publishers, so that several servers on one database publish each once.
 * Bound to one transaction, which the caller owns; not thread-safe.
 */
public interface OutboxRepository {
    /** Adds {@code notifications}, unpublished and unclaimed. Their message ids must be new. */
    void enqueue(List<Notification> notifications, Instant now);

    /**
     * Claims up to {@code limit} unpublished notifications whose lease expired by {@code now} (or that were
     * never claimed), oldest first, for {@code token} until {@code leaseUntil}. A notification another
     * transaction claims at the same time is claimed by one of them only.
     *
     * @param token unique to this claim: {@link #markPublished} and {@link #release} name it
     * @return the claimed notifications, oldest first
     */
    List<Notification> claim(String token, Instant now, Instant leaseUntil, int limit);

    /**
     * Marks as published those of {@code messageIds} that are still claimed by {@code token}.
     *
     * @return how many were marked (fewer if a lease expired and another publisher claimed them)
     */
    int markPublished(String token, Collection<UUID> messageIds, Instant now);

    /** Gives up the unpublished notifications claimed by {@code token}, so that the next claim takes them. */
    int release(String token);

    /** Deletes up to {@code limit} notifications published before {@code horizon}. */
    int deletePublishedBefore(Instant horizon, int limit);

    /** How many notifications are not published yet. */
    long unpublished();
}
