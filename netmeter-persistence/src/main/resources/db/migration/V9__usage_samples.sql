-- Each label's usage per five-minute sample (issue 17), what statements are made of: one row per (label, UTC day,
-- direction, project) packing the day's 288 samples, their bytes and packets, in `samples` (DailySamplesCodec,
-- format 1: at most 5,221 bytes). Every stored report adds its rows to the days its window covers, in its own
-- transaction, so a month's statement of 100 labels reads 3,000 rows however many routers and reports counted
-- them. Placeholders as in V1, and ${binary} for a column of bytes read and written whole.
-- utc_day is days since the epoch (sample k lies in day k / 288). direction is '' for usage reported without a
-- direction, else 'ingress' or 'egress' (the convention of metering_usage.direction). No CHECK on it: H2 2.4.240
-- evaluates a check that compares text in the session that created it, and fails every insert once that
-- connection is closed ("The database has been closed"; the pool retires connections after 30 minutes), so
-- SampleDayKey alone writes and reads the three values. The key leads with the label, the order reports lock
-- days in; statements read a project's days by the index on (project_id, utc_day). Rows of pruned reports stay,
-- as the running totals do: a statement of a period whose reports were pruned still has its lines.
CREATE TABLE metering_usage_samples (
    label_id    CHAR(36)            ${text} NOT NULL,
    utc_day     INTEGER             NOT NULL,
    direction   VARCHAR(7)          ${text} NOT NULL,
    project_id  VARCHAR(${len_255}) ${text} NOT NULL,
    samples     ${binary}           NOT NULL,
    PRIMARY KEY (label_id, utc_day, direction, project_id)
) ${table_options};

CREATE INDEX ix_metering_usage_samples_project ON metering_usage_samples (project_id, utc_day);

-- The days of the reports stored before this table are filled in by the Java migration 9.1
-- (BackfillUsageSamples): spreading each row pro rata over its report's window is not SQL every database has.
