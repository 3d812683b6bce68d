-- Certificates Madoguchi issues (issue 19): one row per 発行番号, with the template data as printed so
-- that a reprint gives the same sheet and the verification QR can be checked; numbers per 年度.
CREATE TABLE certificate_numbers (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    fiscal_year  INTEGER NOT NULL,
    last_serial  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, fiscal_year)
);

CREATE TABLE certificates (
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    issue_no       TEXT NOT NULL,
    fiscal_year    INTEGER NOT NULL,
    serial         INTEGER NOT NULL,
    write_id       TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    case_id        TEXT,
    item           TEXT NOT NULL,
    template       TEXT NOT NULL,
    subjects       TEXT NOT NULL,
    snapshot       TEXT NOT NULL,
    digest         TEXT NOT NULL,
    qr             TEXT NOT NULL,
    place          TEXT NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_by     TEXT,
    revoke_reason  TEXT,
    PRIMARY KEY (tenant_id, issue_no),
    UNIQUE (tenant_id, fiscal_year, serial),
    UNIQUE (tenant_id, write_id, seq)
);
