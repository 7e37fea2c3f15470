-- Each project's changes of billing cycle (issue 17): a project without rows bills calendar months in UTC.
-- A row is in force from the period named effective_from ('YYYY-MM', the month the period starts in) until the
-- next row's; a change made during a period takes effect from the next one (BillingSchedule). Placeholders as
-- in V1. time_zone is an IANA name (Europe/Berlin, or UTC): the longest today has 32 characters
-- (America/Argentina/ComodRivadavia), so 64 leaves room.
CREATE TABLE metering_billing_cycles (
    project_id     VARCHAR(${len_255}) ${text} NOT NULL,
    effective_from CHAR(7)             ${text} NOT NULL,
    start_day      INTEGER             NOT NULL,
    time_zone      VARCHAR(64)         ${text} NOT NULL,
    PRIMARY KEY (project_id, effective_from)
) ${table_options};
