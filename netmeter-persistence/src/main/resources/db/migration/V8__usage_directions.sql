-- Usage per direction (issue 17), and usage rows packed (issue 16). Placeholders as in V1; ${binary} is a
-- column of bytes without a practical length limit on each database.
--
-- A report's rows are stored packed, a block per (report, project) of at most 10,000 rows (PackedUsage has
-- the layout), instead of a table row each: a fleet's agent host sends up to 100,000 rows per report, and each
-- row was a B-tree insert per index plus an upsert of its running total. The running totals per (router, label,
-- direction) are packed the same way, one value per router. V8_1 moves what V3 to V7 stored into these tables
-- (in Java: SQL cannot pack) and drops the old ones.
--
-- direction is 'ingress', 'egress', or '' for usage counted both ways as one (Neutron's counting, and every row
-- stored before this migration); '' rather than NULL so that it can be part of a key.

CREATE TABLE metering_usage_blocks (
    report_id         CHAR(36)            ${text} NOT NULL,
    project_id        VARCHAR(${len_255}) ${text} NOT NULL,
    part              INTEGER             NOT NULL,
    -- the earliest and the latest last_update of the block's rows: usage queries select by last_update
    first_last_update BIGINT              NOT NULL,
    last_last_update  BIGINT              NOT NULL,
    row_count         INTEGER             NOT NULL,
    packed_rows       ${binary}           NOT NULL,
    PRIMARY KEY (report_id, project_id, part)
) ${table_options};

-- Usage queries: a range of last_update, for every project (admins) or for one (tenants).
CREATE INDEX ix_metering_usage_blocks_last_update ON metering_usage_blocks (last_last_update);
CREATE INDEX ix_metering_usage_blocks_project ON metering_usage_blocks (project_id, last_last_update);

-- Everything ever reported per (router, label, direction), one packed value per router (for /metrics with
-- metrics.router_detail).
CREATE TABLE metering_router_totals (
    router_id     CHAR(36)  ${text} NOT NULL,
    packed_totals ${binary} NOT NULL,
    PRIMARY KEY (router_id)
) ${table_options};

-- Everything ever reported per (label, direction), all routers summed: a table row each, as before (a label is
-- one row per report, not one per router).
CREATE TABLE metering_usage_label_totals_directed (
    label_id     CHAR(36)            ${text} NOT NULL,
    direction    VARCHAR(7)          ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (label_id, direction)
) ${table_options};
INSERT INTO metering_usage_label_totals_directed (label_id, direction, project_id, packets, bytes, first_update,
                                                  last_update)
SELECT label_id, '', project_id, packets, bytes, first_update, last_update
FROM metering_usage_label_totals;
DROP TABLE metering_usage_label_totals;
ALTER TABLE metering_usage_label_totals_directed RENAME TO metering_usage_label_totals;

-- A report's rows are added to the per-router totals after it is stored, by a background fold, not in the
-- report's transaction: rewriting every router's packed totals took most of a large report's time. Reading the
-- totals adds the rows of the reports not folded yet, so an answer is never behind. Reports stored before this
-- migration are in the totals already.
ALTER TABLE metering_usage_reports ADD COLUMN totals_folded BOOLEAN DEFAULT TRUE NOT NULL;
CREATE INDEX ix_metering_usage_reports_unfolded ON metering_usage_reports (totals_folded, received_at_ms);
