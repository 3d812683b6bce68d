-- Tamper-evident audit log (issue 3, first part): one hash chain over all records, in id order.
-- hash = SHA-256(prev_hash || canonical encoding of the record); audit_head anchors the chain's end.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_login  TEXT,
    counter     TEXT,
    terminal    TEXT,
    action      TEXT NOT NULL,
    subject     TEXT,
    result      TEXT NOT NULL,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL
) STRICT;

CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);

CREATE TABLE audit_head (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id    INTEGER NOT NULL,
    last_hash  BLOB NOT NULL
) STRICT;
