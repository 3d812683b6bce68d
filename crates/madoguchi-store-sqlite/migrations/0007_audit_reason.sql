-- The reason staff give for an action that needs one (showing a 支援措置 address), covered by the chain hash.
ALTER TABLE audit_log ADD COLUMN reason TEXT;
