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

-- Outbound feeds: each batch keeps its bytes until delivered; each case is in one batch per kind.
CREATE TABLE outbound_batches (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    kind          TEXT NOT NULL,
    batch_no      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    content       BLOB NOT NULL,
    sha256        TEXT NOT NULL,
    records       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    delivered_at  TEXT,
    PRIMARY KEY (tenant_id, kind, batch_no)
) STRICT;

CREATE TABLE outbound_cases (
    tenant_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    case_id    TEXT NOT NULL,
    batch_no   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, case_id),
    FOREIGN KEY (tenant_id, kind, batch_no) REFERENCES outbound_batches (tenant_id, kind, batch_no)
) STRICT, WITHOUT ROWID;

CREATE INDEX cases_status ON cases (tenant_id, status, updated_at);
