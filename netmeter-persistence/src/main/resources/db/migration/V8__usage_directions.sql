-- Usage per direction (issue 17): a row's key is (report, router, label, direction), the running totals are kept
-- per direction too. direction is 'ingress', 'egress', or '' for usage counted both ways as one (Neutron's
-- counting, and every row stored before this migration); '' rather than NULL so that it can be part of a key.
-- Placeholders as in V1. Each table is rebuilt (create, copy, drop, rename) rather than altered: changing a
-- primary key is spelled differently on each database, a copy is not.
--
-- metering_usage also loses two of its five indexes, (label_id, last_update) and (router_id, last_update): each
-- index is written for each of a report's up to 100,000 rows, and storing a report is what a fleet does every
-- interval (issue 16). Queries filtered by label or router read the time range through the last_update index
-- and filter there; tenants' queries keep their index by project.

CREATE TABLE metering_usage_directed (
    report_id    CHAR(36)            ${text} NOT NULL,
    router_id    CHAR(36)            ${text} NOT NULL,
    label_id     CHAR(36)            ${text} NOT NULL,
    direction    VARCHAR(7)          ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (report_id, router_id, label_id, direction)
) ${table_options};
INSERT INTO metering_usage_directed (report_id, router_id, label_id, direction, project_id, packets, bytes,
                                     first_update, last_update)
SELECT report_id, router_id, label_id, '', project_id, packets, bytes, first_update, last_update
FROM metering_usage;
DROP TABLE metering_usage;
ALTER TABLE metering_usage_directed RENAME TO metering_usage;
CREATE INDEX ix_metering_usage_last_update ON metering_usage (last_update);
CREATE INDEX ix_metering_usage_project ON metering_usage (project_id, last_update);

CREATE TABLE metering_usage_totals_directed (
    router_id    CHAR(36)            ${text} NOT NULL,
    label_id     CHAR(36)            ${text} NOT NULL,
    direction    VARCHAR(7)          ${text} NOT NULL,
    project_id   VARCHAR(${len_255}) ${text} NOT NULL,
    packets      BIGINT              NOT NULL,
    bytes        BIGINT              NOT NULL,
    first_update BIGINT              NOT NULL,
    last_update  BIGINT              NOT NULL,
    PRIMARY KEY (router_id, label_id, direction)
) ${table_options};
INSERT INTO metering_usage_totals_directed (router_id, label_id, direction, project_id, packets, bytes,
                                            first_update, last_update)
SELECT router_id, label_id, '', project_id, packets, bytes, first_update, last_update
FROM metering_usage_totals;
DROP TABLE metering_usage_totals;
ALTER TABLE metering_usage_totals_directed RENAME TO metering_usage_totals;

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
