-- Routers, and the revisions that tell agents their sync data changed.
-- Placeholders as in V1. Namespace and interface names are ASCII (the API checks them), so their
-- lengths are the same in every unit.

CREATE TABLE metering_routers (
    id                 CHAR(36)      ${text} NOT NULL,
    project_id         VARCHAR(${len_255}) ${text} NOT NULL,
    name               VARCHAR(${len_255}) ${text} NOT NULL,
    description        VARCHAR(${len_1024}) ${text} NOT NULL,
    admin_state_up     BOOLEAN       NOT NULL,
    status             VARCHAR(16)   ${text} NOT NULL,
    host               VARCHAR(255)  ${text} NOT NULL,
    distributed        BOOLEAN       NOT NULL,
    namespace          VARCHAR(255)  ${text} NOT NULL,
    external_interface VARCHAR(15)   ${text} NOT NULL,
    PRIMARY KEY (id)
) ${table_options};

-- The sync read: a host's routers that are up, and their projects.
CREATE INDEX ix_metering_routers_host ON metering_routers (host, admin_state_up, project_id);
-- A label change touches the hosts of its project's routers.
CREATE INDEX ix_metering_routers_project ON metering_routers (project_id, host);

-- One row. revision counts every change of sync data; all_hosts_revision is the last change that
-- touched every host (a shared label). Writers lock the row, so revisions commit in order.
CREATE TABLE metering_sync_state (
    id                 SMALLINT NOT NULL,
    revision           BIGINT   NOT NULL,
    all_hosts_revision BIGINT   NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_metering_sync_state_one_row CHECK (id = 1)
) ${table_options};

INSERT INTO metering_sync_state (id, revision, all_hosts_revision) VALUES (1, 0, 0);

-- The revision of the last change of each host's sync data. A host keeps its row when its last router
-- goes, so that its agent still learns of the deletion.
CREATE TABLE metering_host_revisions (
    host     VARCHAR(255) ${text} NOT NULL,
    revision BIGINT       NOT NULL,
    PRIMARY KEY (host)
) ${table_options};

CREATE INDEX ix_metering_host_revisions_revision ON metering_host_revisions (revision);

-- The sync read's label lookup: shared labels, and labels by project (ix_metering_labels_project).
CREATE INDEX ix_metering_labels_shared ON metering_labels (shared);
