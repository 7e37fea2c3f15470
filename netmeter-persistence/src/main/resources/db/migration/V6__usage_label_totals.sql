-- Everything ever reported per label (all routers summed), kept up to date by each stored report in the same
-- transaction as metering_usage_totals: /metrics reads one row per label, not one per (router, label), so a
-- scrape costs the same at 1,000 routers as at one. Placeholders as in V1.
CREATE TABLE metering_usage_label_totals (
    label_id     CHAR(36)            ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (label_id)
) ${table_options};

-- What was stored before this table existed. A label's rows all name its project; should they not, the
-- greatest is kept (the next report sets the label's project as every report does).
INSERT INTO metering_usage_label_totals (label_id, project_id, packets, bytes, first_update, last_update)
SELECT label_id, MAX(project_id), SUM(packets), SUM(bytes), MIN(first_update), MAX(last_update)
FROM metering_usage_totals GROUP BY label_id;
