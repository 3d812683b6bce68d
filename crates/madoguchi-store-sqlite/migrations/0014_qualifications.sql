-- 資格 is `qualifications` everywhere in the code (ARCHITECTURE.md, glossary); the table follows.
ALTER TABLE eligibilities RENAME TO qualifications;
