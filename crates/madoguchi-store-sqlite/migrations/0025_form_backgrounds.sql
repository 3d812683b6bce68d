-- Background PDFs of a tenant's form templates (the city's own official form, issue 20 point 3). A
-- background, once stored under its name, never changes: the template versions that name it print the
-- same page for as long as they are kept.
CREATE TABLE form_backgrounds (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    name        TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    pages       INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
) STRICT;
