-- Per-tenant data files an administrator replaces over the API (fee table, local procedure rules).
CREATE TABLE tenant_settings (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
) STRICT;
