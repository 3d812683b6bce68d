-- 事前申請 sent from residents' phones (issue 21 point 3), kept under their 受付番号 until `expires`
-- (then purged). `write_id` makes a repeated sending store nothing new; `birth` is the applicant's,
-- asked when the resident deletes the application; `body` is the QR body's JSON.
CREATE TABLE pre_applications (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    number     TEXT NOT NULL,
    write_id   TEXT NOT NULL,
    birth      TEXT NOT NULL,
    body       TEXT NOT NULL,
    expires    TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, number),
    UNIQUE (tenant_id, write_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX pre_applications_by_expiry ON pre_applications (tenant_id, expires);
