-- Terminal enrollment (Security II point 9): counter terminals registered with their Ed25519 public
-- key and the counters they may serve; a counter takes browser logins only when allowed explicitly.
ALTER TABLE counters ADD COLUMN browser_allowed boolean NOT NULL DEFAULT false;

CREATE TABLE terminals (
    tenant_id      text NOT NULL REFERENCES tenants (id),
    id             text COLLATE "C" NOT NULL,
    name           text NOT NULL,
    public_key     bytea NOT NULL CHECK (length(public_key) = 32),
    counters       text[] NOT NULL,
    registered_at  timestamptz NOT NULL,
    registered_by  text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

ALTER TABLE terminals ENABLE ROW LEVEL SECURITY;
ALTER TABLE terminals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON terminals
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
