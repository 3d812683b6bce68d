-- 資格 is `qualifications` everywhere in the code (ARCHITECTURE.md, glossary); the table follows, with
-- its primary key. Row-level security, its policy and the grants stay with the table.
ALTER TABLE eligibilities RENAME TO qualifications;
ALTER INDEX eligibilities_pkey RENAME TO qualifications_pkey;
