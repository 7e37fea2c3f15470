-- Usage reports from agents, their rows, running totals, and when each host last reported.
-- Placeholders as in V1. No foreign keys to labels or routers: usage outlives them (a label deleted after
-- its last count is still billed). Times are BIGINT: window bounds in epoch nanoseconds (kept exactly as
-- sent), receipt times in epoch milliseconds, first_update/last_update in epoch seconds (Neutron's unit).

CREATE TABLE metering_usage_reports (
    id              CHAR(36)     ${text} NOT NULL,
    host            VARCHAR(255) ${text} NOT NULL,
    window_start_ns BIGINT       NOT NULL,
    window_end_ns   BIGINT       NOT NULL,
    received_at_ms  BIGINT       NOT NULL,
    -- SHA-256 of everything stored of the report but its id: a resent report must match it.
    content_sha256  CHAR(64)     ${text} NOT NULL,
    row_count       INTEGER      NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

-- Retention deletes the reports that ended before a horizon, oldest first.
CREATE INDEX ix_metering_usage_reports_window_end ON metering_usage_reports (window_end_ns);

-- One row per (router, label) of a report. project_id is the label's project when it was counted.
CREATE TABLE metering_usage (
    report_id    CHAR(36)            ${text} NOT NULL,
    router_id    CHAR(36)            ${text} NOT NULL,
    label_id     CHAR(36)            ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (report_id, router_id, label_id)
) ${table_options};

-- Usage queries select a range of last_update, with or without filters on each key.
CREATE INDEX ix_metering_usage_last_update ON metering_usage (last_update);
CREATE INDEX ix_metering_usage_label ON metering_usage (label_id, last_update);
CREATE INDEX ix_metering_usage_router ON metering_usage (router_id, last_update);
CREATE INDEX ix_metering_usage_project ON metering_usage (project_id, last_update);

-- Everything ever reported per (router, label), kept up to date by each stored report (for /metrics).
CREATE TABLE metering_usage_totals (
    router_id    CHAR(36)            ${text} NOT NULL,
    label_id     CHAR(36)            ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (router_id, label_id)
) ${table_options};

-- When each agent host last sent a report (stored or resent): one row per host, so that reading every
-- host's liveness does not scan the reports.
CREATE TABLE metering_usage_hosts (
    host             VARCHAR(255) ${text} NOT NULL,
    last_report_ms   BIGINT       NOT NULL,
    PRIMARY KEY (host)
) ${table_options};
