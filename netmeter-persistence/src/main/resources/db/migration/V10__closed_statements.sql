-- Closed statements and late usage (issue 17, "closed is closed"). Placeholders as in V1. Periods are named
-- 'YYYY-MM' (the month the period starts in, as in metering_billing_cycles); instants are epoch nanoseconds,
-- as the report windows they are compared with; closed_at and recorded_at are epoch milliseconds.

-- One row per (project, period) once the period ended and its grace time passed: stored once, never changed.
-- The primary key makes closing idempotent: of servers closing the same period at once, one row is stored.
CREATE TABLE metering_closed_statements (
    project_id     VARCHAR(${len_255}) ${text} NOT NULL,
    period_name    CHAR(7)             ${text} NOT NULL,
    start_ns       BIGINT              NOT NULL,
    end_ns         BIGINT              NOT NULL,
    closed_at_ms   BIGINT              NOT NULL,
    -- SHA-256 (hex) of the statement's canonical form (docs/api.md, "Closed statements").
    content_sha256 CHAR(64)            ${text} NOT NULL,
    PRIMARY KEY (project_id, period_name)
) ${table_options};

-- Late reports look for the closed periods their window overlaps.
CREATE INDEX ix_metering_closed_statements_end ON metering_closed_statements (project_id, end_ns);

-- The entries of a closed statement as it was closed, in its order (entry_index): its lines (kind 'line') and the
-- adjustments it showed (kind 'adjustment', with the period the usage belongs to). Rows rather than a JSON
-- document: nothing to parse on the way back, and the figures can be read with SQL. label_name is the name when
-- the period closed (NULL: the label was deleted), so that a later rename does not change a closed statement.
-- direction is '' for usage without a direction, as in metering_usage.
CREATE TABLE metering_closed_statement_entries (
    project_id      VARCHAR(${len_255})  ${text} NOT NULL,
    period_name     CHAR(7)              ${text} NOT NULL,
    entry_index     INTEGER              NOT NULL,
    kind            VARCHAR(10)          ${text} NOT NULL,
    label_id        CHAR(36)             ${text} NOT NULL,
    label_name      VARCHAR(${len_255})  ${text},
    direction       VARCHAR(7)           ${text} NOT NULL,
    original_period CHAR(7)              ${text},
    bytes           BIGINT               NOT NULL,
    packets         BIGINT               NOT NULL,
    p95_bps         BIGINT,
    peak_bps        BIGINT,
    samples         BIGINT,
    PRIMARY KEY (project_id, period_name, entry_index),
    CONSTRAINT ck_metering_closed_statement_entries_kind CHECK (kind IN ('line', 'adjustment')),
    CONSTRAINT ck_metering_closed_statement_entries_direction CHECK (direction IN ('', 'ingress', 'egress'))
) ${table_options};

-- Usage received after its period closed: the share of a report's rows that falls in a closed period, per
-- label and direction, shown on the first period after it that was still open (shown_period).
CREATE TABLE metering_usage_adjustments (
    report_id       CHAR(36)            ${text} NOT NULL,
    project_id      VARCHAR(${len_255}) ${text} NOT NULL,
    label_id        CHAR(36)            ${text} NOT NULL,
    direction       VARCHAR(7)          ${text} NOT NULL,
    original_period CHAR(7)             ${text} NOT NULL,
    shown_period    CHAR(7)             ${text} NOT NULL,
    bytes           BIGINT              NOT NULL,
    packets         BIGINT              NOT NULL,
    recorded_at_ms  BIGINT              NOT NULL,
    PRIMARY KEY (report_id, project_id, label_id, direction, original_period),
    CONSTRAINT ck_metering_usage_adjustments_direction CHECK (direction IN ('', 'ingress', 'egress'))
) ${table_options};

CREATE INDEX ix_metering_usage_adjustments_shown ON metering_usage_adjustments (project_id, shown_period);
CREATE INDEX ix_metering_usage_adjustments_original
    ON metering_usage_adjustments (project_id, original_period);

-- One row per project whose periods are closed or whose late usage is recorded: closing a period and storing
-- a report that reaches back into closable periods both lock it (SELECT ... FOR UPDATE through an upsert), so
-- that a report is either in a closed statement or recorded as an adjustment, never neither and never both.
CREATE TABLE metering_closing_locks (
    project_id VARCHAR(${len_255}) ${text} NOT NULL,
    PRIMARY KEY (project_id)
) ${table_options};
