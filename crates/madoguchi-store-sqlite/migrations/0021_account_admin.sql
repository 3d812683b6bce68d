-- The admin console's accounts (issue 20): a password to change at the next login (an administrator's
-- reset, an initial password) and a revision for optimistic concurrency of the admin screen.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
