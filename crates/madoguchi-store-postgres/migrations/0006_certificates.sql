-- Certificates Madoguchi issues (issue 19): one row per 発行番号, with the template data as printed so
-- that a reprint gives the same sheet and the verification QR can be checked; numbers per 年度.
CREATE TABLE certificate_numbers (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    fiscal_year  integer NOT NULL,
    last_serial  bigint NOT NULL,
    PRIMARY KEY (tenant_id, fiscal_year)
);

CREATE TABLE certificates (
    tenant_id      text NOT NULL REFERENCES tenants (id),
    issue_no       text COLLATE "C" NOT NULL,
    fiscal_year    integer NOT NULL,
    serial         bigint NOT NULL,
    write_id       text COLLATE "C" NOT NULL,
    seq            integer NOT NULL,
    case_id        text,
    item           text NOT NULL,
    template       text NOT NULL,
    subjects       text NOT NULL,
    snapshot       text NOT NULL,
    digest         text NOT NULL,
    qr             text NOT NULL,
    place          text NOT NULL,
    issued_by      text NOT NULL,
    issued_at      timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text,
    revoke_reason  text,
    PRIMARY KEY (tenant_id, issue_no),
    UNIQUE (tenant_id, fiscal_year, serial),
    UNIQUE (tenant_id, write_id, seq)
);

ALTER TABLE certificate_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_numbers
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

ALTER TABLE certificates ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificates
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
