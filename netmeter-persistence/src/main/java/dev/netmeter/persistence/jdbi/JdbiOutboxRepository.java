package dev.netmeter.persistence.jdbi;

import dev.netmeter.domain.usage.Notification;
import dev.netmeter.persistence.OutboxRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The outbox in the table {@code metering_notification_outbox}. Bound to one transaction's handle; not thread-safe. */
final class JdbiOutboxRepository implements OutboxRepository {
    private final Handle handle;
    private final Dialect dialect;

    JdbiOutboxRepository(Handle handle, Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public void enqueue(List<Notification> notifications, Instant now) {
        if (notifications.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO metering_notification_outbox (message_id, event_type, message, created_ms, lease_owner,
                    lease_until_ms, published_ms)
                VALUES (:id, :event_type, :message, :now, NULL, 0, NULL)""");
        long created = now.toEpochMilli();
        for (Notification notification : notifications) {
            batch.bind("id", notification.messageId().toString())
                    .bind("event_type", notification.eventType())
                    .bind("message", notification.message())
                    .bind("now", created)
                    .add();
        }
        batch.execute();
    }

    @Override
    public List<Notification> claim(String token, Instant now, Instant leaseUntil, int limit) {
        // Select, then claim only those still free: the UPDATE re-checks its condition on each row after waiting
        // for a concurrent claim of it to commit, so two claims never both take one row. (MariaDB refuses a
        // LIMIT in an UPDATE's subquery on the same table, hence two statements.) The ORDER BY follows the pending
        // index, so that a claim reads one batch in index order instead of sorting every unpublished row: H2 does
        // so only if it names published_ms too, MariaDB only if it does not (EXPLAIN; PostgreSQL either way).
        String order = dialect == Dialect.MARIADB ? "created_ms, message_id" : "published_ms, created_ms, message_id";
        List<String> candidates = handle.createQuery("""
                SELECT message_id FROM metering_notification_outbox
                WHERE published_ms IS NULL AND lease_until_ms <= :now
                ORDER BY %s LIMIT %d""".formatted(order, limit))
                .bind("now", now.toEpochMilli())
                .mapTo(String.class).list();
        if (candidates.isEmpty()) {
            return List.of();
        }
        int claimed = handle.createUpdate("""
                UPDATE metering_notification_outbox SET lease_owner = :token, lease_until_ms = :until
                WHERE message_id IN (<ids>) AND published_ms IS NULL AND lease_until_ms <= :now""")
                .bind("token", token)
                .bind("until", leaseUntil.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .bindList("ids", candidates)
                .execute();
        if (claimed == 0) {
            return List.of();
        }
        return handle.createQuery("""
                SELECT message_id, event_type, message FROM metering_notification_outbox
                WHERE message_id IN (<ids>) AND lease_owner = :token AND published_ms IS NULL
                ORDER BY created_ms, message_id""")
                .bind("token", token)
                .bindList("ids", candidates)
                .map((rs, ctx) -> new Notification(UUID.fromString(rs.getString("message_id")),
                        rs.getString("event_type"), rs.getString("message")))
                .list();
    }

    @Override
    public int markPublished(String token, Collection<UUID> messageIds, Instant now) {
        if (messageIds.isEmpty()) {
            return 0;
        }
        return handle.createUpdate("""
                UPDATE metering_notification_outbox SET published_ms = :now
                WHERE message_id IN (<ids>) AND lease_owner = :token AND published_ms IS NULL""")
                .bind("now", now.toEpochMilli())
                .bind("token", token)
                .bindList("ids", messageIds.stream().map(UUID::toString).sorted().toList())
                .execute();
    }

    @Override
    public int release(String token) {
        return handle.createUpdate("""
                UPDATE metering_notification_outbox SET lease_until_ms = 0
                WHERE lease_owner = :token AND published_ms IS NULL""")
                .bind("token", token)
                .execute();
    }

    @Override
    public int deletePublishedBefore(Instant horizon, int limit) {
        List<String> ids = handle.createQuery("""
                SELECT message_id FROM metering_notification_outbox
                WHERE published_ms IS NOT NULL AND published_ms < :horizon ORDER BY published_ms LIMIT %d"""
                        .formatted(limit))
                .bind("horizon", horizon.toEpochMilli())
                .mapTo(String.class).list();
        if (ids.isEmpty()) {
            return 0;
        }
        return handle.createUpdate("DELETE FROM metering_notification_outbox WHERE message_id IN (<ids>)")
                .bindList("ids", ids).execute();
    }

    @Override
    public long unpublished() {
        return handle.createQuery("SELECT COUNT(*) FROM metering_notification_outbox WHERE published_ms IS NULL")
                .mapTo(Long.class).one();
    }
}
