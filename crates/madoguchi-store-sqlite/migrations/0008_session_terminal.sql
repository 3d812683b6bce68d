-- The terminal a session was opened on (recorded with every audit record of the session).
ALTER TABLE sessions ADD COLUMN terminal TEXT;
