-- Notifications to publish (issue 16): one row per stored usage row, written in the transaction that stores
-- the report, so that what is published is exactly what was stored (an outbox). Placeholders as in V1;
-- ${long_text} is a text column without a practical length limit on each database.
-- A publisher claims a batch of unpublished rows by writing its claim token and a lease expiry; once the
-- broker confirmed them it sets published_ms. A lease that expires (its server died) lets another claim them.

CREATE TABLE metering_notification_outbox (
    -- oslo.messaging's message_id: derived from the usage row (report, router, label), so the same row
    -- always gives the same id, even when it is published twice after a crash.
    message_id      CHAR(36)     ${text} NOT NULL,
    event_type      VARCHAR(64)  ${text} NOT NULL,
    -- The oslo.messaging notification (message_id, event_type, priority, publisher_id, timestamp, payload)
    -- as JSON, ready to be wrapped in the v2 envelope.
    message         ${long_text} NOT NULL,
    created_ms      BIGINT       NOT NULL,
    lease_owner     VARCHAR(80)  ${text},
    lease_until_ms  BIGINT       NOT NULL,
    published_ms    BIGINT,
    PRIMARY KEY (message_id)
) ${table_options};

-- Claims read unpublished rows oldest first (in this index's order, so a claim reads a batch, not every
-- unpublished row, and skips the few under a live lease); pruning, rows published long ago.
CREATE INDEX ix_metering_notification_outbox_pending
    ON metering_notification_outbox (published_ms, created_ms, message_id);

-- A publisher gives up its claim by token when the broker is away.
CREATE INDEX ix_metering_notification_outbox_owner ON metering_notification_outbox (lease_owner);
