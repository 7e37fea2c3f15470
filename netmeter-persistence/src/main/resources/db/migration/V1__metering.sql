-- Metering labels and their rules (Neutron: neutron/db/models/metering.py).
-- ${text} and ${table_options} make text compare byte-wise on every database, so that filters are
-- exact and sorting is the same on H2, PostgreSQL and MariaDB (MariaDB's default is case-insensitive).
-- ${len_255} and ${len_1024} are lengths in characters (H2 counts UTF-16 units, so it gets twice as many).

CREATE TABLE metering_labels (
    id          CHAR(36)      ${text} NOT NULL,
    project_id  VARCHAR(${len_255}) ${text} NOT NULL,
    name        VARCHAR(${len_255}) ${text} NOT NULL,
    description VARCHAR(${len_1024}) ${text} NOT NULL,
    shared      BOOLEAN       NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

CREATE INDEX ix_metering_labels_project ON metering_labels (project_id);

-- remote_ip_version/first/last describe the block of remote_ip_prefix (host bits cleared), as 32 hex
-- digits, so that the overlap check is an index lookup, not a scan of the label's rules.
CREATE TABLE metering_label_rules (
    id                    CHAR(36)    ${text} NOT NULL,
    metering_label_id     CHAR(36)    ${text} NOT NULL,
    direction             VARCHAR(7)  ${text} NOT NULL,
    excluded              BOOLEAN     NOT NULL,
    remote_ip_prefix      VARCHAR(64) ${text},
    source_ip_prefix      VARCHAR(64) ${text},
    destination_ip_prefix VARCHAR(64) ${text},
    remote_ip_version     SMALLINT,
    remote_first          CHAR(32)    ${text},
    remote_last           CHAR(32)    ${text},
    -- How prefixes sort, as Neutron's netaddr objects do: IP version, network, length, host bits.
    remote_sort           CHAR(68)    ${text},
    source_sort           CHAR(68)    ${text},
    destination_sort      CHAR(68)    ${text},
    PRIMARY KEY (id),
    CONSTRAINT fk_metering_label_rules_label FOREIGN KEY (metering_label_id)
        REFERENCES metering_labels (id) ON DELETE CASCADE,
    CONSTRAINT ck_metering_label_rules_direction CHECK (direction IN ('ingress', 'egress')),
    CONSTRAINT ck_metering_label_rules_version CHECK (remote_ip_version IN (4, 6)),
    CONSTRAINT ck_metering_label_rules_prefix CHECK (
        remote_ip_prefix IS NOT NULL OR source_ip_prefix IS NOT NULL OR destination_ip_prefix IS NOT NULL)
) ${table_options};

-- Serves the overlap lookup and the foreign key (its first column is the label).
CREATE INDEX ix_metering_label_rules_remote
    ON metering_label_rules (metering_label_id, direction, excluded, remote_ip_version, remote_first, remote_last);
