-- Tenants, residents with their search index, the import ledger, and staff login.
CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE residents (
    id                   INTEGER PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants(id),
    atena_no             TEXT NOT NULL,
    household_no         TEXT NOT NULL,
    kind                 INTEGER NOT NULL,
    status               INTEGER NOT NULL,
    full_name            TEXT NOT NULL,
    surname              TEXT,
    given                TEXT,
    kana                 TEXT,
    surname_kana         TEXT,
    given_kana           TEXT,
    former_surname       TEXT,
    former_surname_kana  TEXT,
    alias                TEXT,
    alias_kana           TEXT,
    foreign_romaji       TEXT,
    foreign_kanji        TEXT,
    birth_date           TEXT,
    birth_unknown_text   TEXT,
    sex                  INTEGER NOT NULL,
    relation             TEXT NOT NULL,
    city_code            TEXT NOT NULL,
    town_code            TEXT,
    prefecture           TEXT NOT NULL,
    city                 TEXT NOT NULL,
    town                 TEXT NOT NULL,
    banchi               TEXT,
    katagaki             TEXT,
    postal_code          TEXT,
    became_resident_on   TEXT,
    address_fixed_on     TEXT,
    nationality          TEXT,
    status_of_residence  TEXT,
    period_of_stay       TEXT,
    stay_expiry          TEXT,
    support_measure      INTEGER NOT NULL,
    kana_key             TEXT NOT NULL,
    row_hash             INTEGER NOT NULL,
    import_seq           INTEGER NOT NULL,
    UNIQUE (tenant_id, atena_no)
) STRICT;

CREATE INDEX residents_household ON residents (tenant_id, household_no);
CREATE INDEX residents_kana      ON residents (tenant_id, kana_key);
CREATE INDEX residents_birth     ON residents (tenant_id, birth_date);

-- Each indexed text is stored one character per token, so an FTS5 phrase query is a substring match
-- of any length (also for 1–2 character kanji names, which a trigram index cannot find).
CREATE VIRTUAL TABLE residents_fts USING fts5 (
    names, kana, address,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE import_ledger (
    id           INTEGER PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    sha256       TEXT NOT NULL,
    mode         TEXT NOT NULL,
    source_name  TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    inserted     INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    unchanged    INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    UNIQUE (tenant_id, sha256)
) STRICT;

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    login          TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (tenant_id, login)
) STRICT;

CREATE TABLE sessions (
    token_hash  BLOB PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    counter     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
