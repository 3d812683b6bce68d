-- Background PDFs of a tenant's form templates (the city's own official form, issue 20 point 3). A
-- background, once stored under its name, never changes: the template versions that name it print the
-- same page for as long as they are kept.
CREATE TABLE form_backgrounds (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    name        text COLLATE "C" NOT NULL,
    pdf         bytea NOT NULL,
    pages       integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

ALTER TABLE form_backgrounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE form_backgrounds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON form_backgrounds
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
