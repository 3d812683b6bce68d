-- Notices to staff and maintenance notices (issue 20 point 6), and each user's read marks.
CREATE TABLE notices (
    tenant_id     text NOT NULL REFERENCES tenants (id),
    id            text COLLATE "C" NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('notice', 'maintenance')),
    audience      text NOT NULL,
    text_ja       text NOT NULL,
    text_en       text,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    window_start  timestamptz,
    window_end    timestamptz,
    revision      bigint NOT NULL,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE notice_reads (
    tenant_id   text NOT NULL,
    notice_id   text COLLATE "C" NOT NULL,
    user_login  text NOT NULL,
    read_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_login, notice_id),
    FOREIGN KEY (tenant_id, notice_id) REFERENCES notices (tenant_id, id)
);

ALTER TABLE notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE notices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notices
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

ALTER TABLE notice_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE notice_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notice_reads
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
