-- The case summary for the statistics (統計), see `madoguchi_store::case_summary`: daily counts per
-- tenant, Japan-time day of opening, dimension and key, adjusted by every case write in its transaction.
CREATE TABLE case_daily_counts (
    tenant_id  TEXT NOT NULL,
    day        TEXT NOT NULL,
    dim        TEXT NOT NULL,
    key        TEXT NOT NULL,
    label      TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, day, dim, key)
) STRICT, WITHOUT ROWID;

-- Cases not counted yet: every case stored before this migration. The first read of a tenant's summary
-- counts them (in batches), and a write to one of them counts it then.
CREATE TABLE case_summary_pending (
    case_rowid  INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL
) STRICT;
CREATE INDEX case_summary_pending_tenant ON case_summary_pending (tenant_id);
INSERT INTO case_summary_pending (case_rowid, tenant_id) SELECT rowid, tenant_id FROM cases;

-- The statistics count a period's certificates per item from the index alone.
CREATE INDEX certificates_by_time_item ON certificates (tenant_id, issued_at, item);
