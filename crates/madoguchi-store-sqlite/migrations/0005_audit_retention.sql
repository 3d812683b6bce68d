-- Audit retention: records may be purged from the start of the chain; the last purged record's id and
-- hash become the chain's base, so verification of what remains still starts from a known point.
ALTER TABLE audit_head ADD COLUMN base_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN base_hash BLOB NOT NULL DEFAULT (zeroblob(32));
