-- 事前申請 sent from residents' phones (issue 21 point 3), kept under their 受付番号 until `expires`
-- (then purged). `write_id` makes a repeated sending store nothing new; `birth` is the applicant's,
-- asked when the resident deletes the application; `body` is the QR body's JSON.
CREATE TABLE pre_applications (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    number     text COLLATE "C" NOT NULL,
    write_id   text COLLATE "C" NOT NULL,
    birth      date NOT NULL,
    body       text NOT NULL,
    expires    date NOT NULL,
    sent_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, number),
    UNIQUE (tenant_id, write_id)
);

CREATE INDEX pre_applications_by_expiry ON pre_applications (tenant_id, expires);

ALTER TABLE pre_applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE pre_applications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pre_applications
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
