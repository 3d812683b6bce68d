-- Notices to staff and maintenance notices (issue 20 point 6), and each user's read marks.
CREATE TABLE notices (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('notice', 'maintenance')),
    audience      TEXT NOT NULL,
    text_ja       TEXT NOT NULL,
    text_en       TEXT,
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    window_start  TEXT,
    window_end    TEXT,
    revision      INTEGER NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE notice_reads (
    tenant_id   TEXT NOT NULL,
    notice_id   TEXT NOT NULL,
    user_login  TEXT NOT NULL,
    read_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_login, notice_id),
    FOREIGN KEY (tenant_id, notice_id) REFERENCES notices (tenant_id, id)
) STRICT, WITHOUT ROWID;
