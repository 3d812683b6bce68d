-- Groups of staff with permissions, counters (窓口) with permissions, and group membership (issue 3).
-- Permissions are stored as the comma-separated codes of madoguchi_core::permission.
CREATE TABLE staff_groups (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    UNIQUE (tenant_id, code)
) STRICT;

CREATE TABLE user_groups (
    user_id   INTEGER NOT NULL REFERENCES users(id),
    group_id  INTEGER NOT NULL REFERENCES staff_groups(id),
    PRIMARY KEY (user_id, group_id)
) STRICT;

CREATE TABLE counters (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    permissions  TEXT NOT NULL,
    UNIQUE (tenant_id, code)
) STRICT;
