-- Terminal enrollment (Security II point 9): counter terminals registered with their Ed25519 public
-- key and the counters they may serve; a counter takes browser logins only when allowed explicitly.
ALTER TABLE counters ADD COLUMN browser_allowed INTEGER NOT NULL DEFAULT 0 CHECK (browser_allowed IN (0, 1));

CREATE TABLE terminals (
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    public_key     BLOB NOT NULL CHECK (length(public_key) = 32),
    -- Comma-separated counter codes.
    counters       TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    registered_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT, WITHOUT ROWID;

-- The demo city (`madoguchi-server demo`/`seed`: marked, or named as the demo city before the mark)
-- keeps taking browser logins at its staff counters; its kiosk counter takes enrolled kiosks only.
UPDATE counters SET browser_allowed = 1
 WHERE code <> 'kiosk'
   AND (tenant_id IN (SELECT tenant_id FROM tenant_settings WHERE key = 'demo_tenant' AND value = '1')
        OR tenant_id IN (SELECT id FROM tenants WHERE name = 'さくら野市'));
