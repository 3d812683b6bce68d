-- Serials of residents' 利用者証明用電子証明書 from the core systems' `cards` feed: what a JPKI user
-- authentication at an issuance station is matched against. One row per serial (lowercase hex without
-- leading zeros); a resident may have several, an earlier card's kept with its 失効年月日.
CREATE TABLE card_serials (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    serial      TEXT NOT NULL,
    atena_no    TEXT NOT NULL,
    revoked_on  TEXT,
    PRIMARY KEY (tenant_id, serial)
) STRICT, WITHOUT ROWID;

CREATE INDEX card_serials_by_resident ON card_serials (tenant_id, atena_no);

-- 受付番号 of the certificate counters: the last number given per tenant and day.
CREATE TABLE reception_numbers (
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    day        TEXT NOT NULL,
    last_no    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, day)
) STRICT, WITHOUT ROWID;
