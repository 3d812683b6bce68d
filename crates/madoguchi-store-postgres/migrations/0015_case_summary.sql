-- The case summary for the statistics (統計), see `madoguchi_store::case_summary`: daily counts per
-- tenant, Japan-time day of opening, dimension and key, adjusted by every case write in its transaction.
CREATE TABLE case_daily_counts (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    day        date NOT NULL,
    dim        text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    label      text NOT NULL,
    count      bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, dim, key)
);

-- Cases not counted yet: every case stored before this migration. The first read of a tenant's summary
-- counts them (in batches), and a write to one of them counts it then.
CREATE TABLE case_summary_pending (
    case_seq   bigint PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants (id)
);
CREATE INDEX case_summary_pending_tenant ON case_summary_pending (tenant_id, case_seq);
-- The owner runs migrations under FORCE ROW LEVEL SECURITY with no tenant set: lifted on `cases` for
-- this one statement (inside the migration's transaction).
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;
INSERT INTO case_summary_pending (case_seq, tenant_id) SELECT seq, tenant_id FROM cases;
ALTER TABLE cases FORCE ROW LEVEL SECURITY;

ALTER TABLE case_daily_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_daily_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_daily_counts
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

ALTER TABLE case_summary_pending ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_summary_pending FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_summary_pending
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

-- The statistics count a period's certificates per item from the index alone.
CREATE INDEX certificates_by_time_item ON certificates (tenant_id, issued_at, item);
