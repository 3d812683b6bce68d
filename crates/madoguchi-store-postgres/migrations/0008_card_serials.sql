-- Serials of residents' 利用者証明用電子証明書 from the core systems' `cards` feed: what a JPKI user
-- authentication at an issuance station is matched against. One row per serial (lowercase hex without
-- leading zeros); a resident may have several, an earlier card's kept with its 失効年月日.
CREATE TABLE card_serials (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    serial      text COLLATE "C" NOT NULL,
    atena_no    text COLLATE "C" NOT NULL,
    revoked_on  date,
    PRIMARY KEY (tenant_id, serial)
);

CREATE INDEX card_serials_by_resident ON card_serials (tenant_id, atena_no);

-- 受付番号 of the certificate counters: the last number given per tenant and day.
CREATE TABLE reception_numbers (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    day        date NOT NULL,
    last_no    integer NOT NULL,
    PRIMARY KEY (tenant_id, day)
);

ALTER TABLE card_serials ENABLE ROW LEVEL SECURITY;
ALTER TABLE card_serials FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON card_serials
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

ALTER TABLE reception_numbers ENABLE ROW LEVEL SECURITY;
ALTER TABLE reception_numbers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reception_numbers
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
