-- Form templates a tenant added over the API (the standard ones are compiled into the server).
-- A version, once stored, is never changed: a case printed again must look the same.
CREATE TABLE form_templates (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    template_id  TEXT NOT NULL,
    version      TEXT NOT NULL,
    source       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (tenant_id, template_id, version)
) STRICT;
