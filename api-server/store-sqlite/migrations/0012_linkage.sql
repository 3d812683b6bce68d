-- Core-system feeds (issue 10): the 支援措置 feed (001o009), the 資格 feed, and the linkage ledger.
-- A resident is protected when residents.support_measure or a support_measures row says so.
CREATE TABLE support_measures (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    atena_no    TEXT NOT NULL,
    measure     INTEGER NOT NULL CHECK (measure IN (1, 2)),
    start_on    TEXT,
    end_on      TEXT,
    PRIMARY KEY (tenant_id, atena_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE eligibilities (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    atena_no    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    acquired_on TEXT,
    lost_on     TEXT,
    PRIMARY KEY (tenant_id, atena_no, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE linkage_files (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    feed         TEXT NOT NULL,
    name         TEXT NOT NULL,
    sequence     INTEGER NOT NULL,
    mode         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    rows_read    INTEGER NOT NULL,
    inserted     INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    problems     INTEGER NOT NULL,
    message      TEXT,
    finished_at  TEXT NOT NULL
) STRICT;

CREATE INDEX linkage_files_feed ON linkage_files (tenant_id, feed, id);
