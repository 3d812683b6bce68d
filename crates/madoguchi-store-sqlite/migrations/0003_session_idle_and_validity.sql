-- Idle timeout for sessions and a validity period (有効期間) for accounts (issue 3, first part).
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT '';
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE users ADD COLUMN valid_until TEXT;
