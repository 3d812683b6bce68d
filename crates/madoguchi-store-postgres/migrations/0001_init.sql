-- The whole schema of the PostgreSQL backend, with row-level security per tenant.
--
-- Every table that holds a tenant's data has ENABLE and FORCE ROW LEVEL SECURITY (FORCE: the table's
-- owner, which is the role that ran this migration, is bound by the policies too) and a policy that
-- compares its tenant column with the transaction's `madoguchi.tenant` setting, which the store sets
-- with set_config(…, true) for every operation. Without the setting nothing is visible and nothing can
-- be written. The audit chain (audit_log, audit_head) is global by design and stays outside RLS;
-- schema_migrations holds no tenant data.
--
-- Text that is ordered or range-matched (readings, 宛名番号, logins, codes) uses the "C" collation:
-- code-point order, the same as SQLite's byte order of UTF-8, whatever the database's default.

CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE residents (
    tenant_id            text NOT NULL REFERENCES tenants (id),
    atena_no             text COLLATE "C" NOT NULL,
    household_no         text COLLATE "C" NOT NULL,
    kind                 smallint NOT NULL,
    status               smallint NOT NULL,
    full_name            text NOT NULL,
    surname              text,
    given                text,
    kana                 text,
    surname_kana         text,
    given_kana           text,
    former_surname       text,
    former_surname_kana  text,
    alias                text,
    alias_kana           text,
    foreign_romaji       text,
    foreign_kanji        text,
    birth_date           date,
    birth_unknown_text   text,
    sex                  smallint NOT NULL,
    relation             text NOT NULL,
    city_code            text NOT NULL,
    town_code            text,
    prefecture           text NOT NULL,
    city                 text NOT NULL,
    town                 text NOT NULL,
    banchi               text,
    katagaki             text,
    postal_code          text,
    became_resident_on   date,
    address_fixed_on     date,
    nationality          text,
    status_of_residence  text,
    period_of_stay       text,
    stay_expiry          date,
    support_measure      smallint NOT NULL,
    -- Folded reading of 氏名 (SearchKeys::kana): prefix search and the order of results.
    kana_key             text COLLATE "C" NOT NULL,
    -- The first folded name of SearchKeys::names (氏名): name prefix search.
    name_key             text COLLATE "C" NOT NULL,
    -- Hash of the stored values: a re-imported row that changed nothing is not written.
    row_hash             bigint NOT NULL,
    PRIMARY KEY (tenant_id, atena_no)
);
CREATE INDEX residents_household ON residents (tenant_id, household_no);
CREATE INDEX residents_kana ON residents (tenant_id, kana_key, atena_no);
CREATE INDEX residents_birth ON residents (tenant_id, birth_date, kana_key, atena_no);
CREATE INDEX residents_name ON residents (tenant_id, name_key, atena_no);

-- The partial-match index of residents: the folded keys (SearchKeys) and every 1- and 2-character
-- substring of them, tagged by key, plus the first one and two characters of every name after the
-- first (旧氏, 通称, foreign names: "grams"), under a GIN index; the reading key again, so that
-- candidates are ranked without reading residents.
-- Written with the resident, removed with it (ON DELETE CASCADE).
CREATE TABLE resident_search (
    tenant_id    text NOT NULL,
    atena_no     text COLLATE "C" NOT NULL,
    kana_key     text COLLATE "C" NOT NULL,
    names_key    text NOT NULL,
    kana_all     text NOT NULL,
    address_key  text NOT NULL,
    grams        text[] NOT NULL,
    PRIMARY KEY (tenant_id, atena_no),
    FOREIGN KEY (tenant_id, atena_no) REFERENCES residents (tenant_id, atena_no) ON DELETE CASCADE
);
CREATE INDEX resident_search_grams ON resident_search USING gin (grams);

CREATE TABLE import_ledger (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    sha256       text NOT NULL,
    mode         text NOT NULL,
    source_name  text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    inserted     bigint NOT NULL,
    updated      bigint NOT NULL,
    unchanged    bigint NOT NULL,
    removed      bigint NOT NULL,
    UNIQUE (tenant_id, sha256)
);

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants (id),
    login          text COLLATE "C" NOT NULL,
    display_name   text NOT NULL,
    password_hash  text NOT NULL,
    failed_logins  integer NOT NULL DEFAULT 0,
    locked         boolean NOT NULL DEFAULT false,
    disabled       boolean NOT NULL DEFAULT false,
    valid_until    date,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, login)
);

-- Permissions are the comma-separated codes of madoguchi_core::permission.
CREATE TABLE staff_groups (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    code         text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    permissions  text NOT NULL,
    UNIQUE (tenant_id, code)
);

CREATE TABLE user_groups (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    group_id   bigint NOT NULL REFERENCES staff_groups (id),
    PRIMARY KEY (user_id, group_id)
);

CREATE TABLE counters (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    code         text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    permissions  text NOT NULL,
    UNIQUE (tenant_id, code)
);

-- Sessions by the SHA-256 of their bearer token (the token itself is never stored).
CREATE TABLE sessions (
    token_hash    bytea PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    counter       text NOT NULL,
    terminal      text,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (tenant_id, expires_at);

-- A template version, once stored, is never changed.
CREATE TABLE form_templates (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    template_id  text NOT NULL,
    version      text NOT NULL,
    source       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, template_id, version)
);

CREATE TABLE tenant_settings (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    key         text NOT NULL,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

-- Counter cases (案件): `id` is generated by the client, every save carries its own client-generated
-- write id, kept in case_entries, and is applied once. The document is the API's JSON, kept verbatim.
CREATE TABLE cases (
    seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    id               text NOT NULL,
    revision         bigint NOT NULL,
    status           text NOT NULL,
    title            text NOT NULL,
    opened_at        timestamptz NOT NULL,
    opened_by        text NOT NULL,
    opened_counter   text NOT NULL,
    updated_at       timestamptz NOT NULL,
    updated_by       text NOT NULL,
    updated_counter  text NOT NULL,
    document         text NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX cases_opened ON cases (tenant_id, opened_at, seq);

CREATE TABLE case_entries (
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    case_seq    bigint NOT NULL REFERENCES cases (seq),
    write_id    text NOT NULL,
    at          timestamptz NOT NULL,
    user_login  text NOT NULL,
    counter     text NOT NULL,
    terminal    text,
    lines       text[] NOT NULL,
    PRIMARY KEY (case_seq, write_id)
);
CREATE INDEX case_entries_user ON case_entries (tenant_id, user_login);

CREATE TABLE case_procedures (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    case_seq   bigint NOT NULL REFERENCES cases (seq),
    code       text NOT NULL,
    PRIMARY KEY (case_seq, code)
);
CREATE INDEX case_procedures_code ON case_procedures (tenant_id, code);

CREATE TABLE case_subjects (
    tenant_id  text NOT NULL REFERENCES tenants (id),
    case_seq   bigint NOT NULL REFERENCES cases (seq),
    atena_no   text NOT NULL,
    PRIMARY KEY (case_seq, atena_no)
);

-- 転出証明書情報 received before the family comes to the counter; `search_keys` are the members' name
-- and kana search keys.
CREATE TABLE incoming_moves (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    notice_no    text NOT NULL,
    received_at  timestamptz NOT NULL,
    search_keys  text[] NOT NULL,
    document     text NOT NULL,
    PRIMARY KEY (tenant_id, notice_no)
);

-- The city's 町字 (from its residents' addresses, rebuilt by every import that changed residents).
CREATE TABLE towns (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    town         text COLLATE "C" NOT NULL,
    town_code    text COLLATE "C",
    prefecture   text NOT NULL,
    city         text NOT NULL,
    postal_code  text,
    PRIMARY KEY (tenant_id, town)
);

-- The tamper-evident audit log: one SHA-256 chain over all tenants' records in id order
-- (madoguchi_store::audit). audit_head anchors the chain's end (last_id, last_hash) and its base after a
-- retention purge (base_id, base_hash); appends lock its one row, so they are serialized.
CREATE TABLE audit_log (
    id          bigint PRIMARY KEY,
    tenant_id   text NOT NULL,
    at          timestamptz NOT NULL,
    user_login  text,
    counter     text,
    terminal    text,
    action      text NOT NULL,
    subject     text,
    result      text NOT NULL,
    reason      text,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

CREATE TABLE audit_head (
    singleton  boolean PRIMARY KEY CHECK (singleton),
    last_id    bigint NOT NULL,
    last_hash  bytea NOT NULL,
    base_id    bigint NOT NULL,
    base_hash  bytea NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash, base_id, base_hash)
VALUES (true, 0, decode(repeat('00', 32), 'hex'), 0, decode(repeat('00', 32), 'hex'));

-- Row-level security. The tenant of the transaction; '' (a setting reset at the end of an earlier
-- transaction) counts as none.
DO $$
DECLARE
    t text;
    tenant constant text := $q$nullif(current_setting('madoguchi.tenant', true), '')$q$;
BEGIN
    FOREACH t IN ARRAY ARRAY['residents', 'import_ledger', 'users', 'staff_groups', 'user_groups',
                             'counters', 'sessions', 'form_templates', 'tenant_settings', 'cases',
                             'case_entries', 'case_procedures', 'case_subjects', 'incoming_moves',
                             'towns']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = %s) WITH CHECK (tenant_id = %s)',
                       t, tenant, tenant);
    END LOOP;
END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (id = nullif(current_setting('madoguchi.tenant', true), ''));

-- The search index is readable only for the transaction's tenant AND the grams of the search being
-- run (`madoguchi.grams`, a text[] literal): both are security conditions, so PostgreSQL may answer
-- them with the GIN index (a query's own `@>` would not be used under RLS, as array containment is not
-- leakproof). Rows are written by imports and removed only through residents (ON DELETE CASCADE).
ALTER TABLE resident_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE resident_search FORCE ROW LEVEL SECURITY;
CREATE POLICY search_read ON resident_search FOR SELECT
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), '')
           AND grams @> nullif(current_setting('madoguchi.grams', true), '')::text[]);
CREATE POLICY search_write ON resident_search FOR INSERT
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

-- The operations the Store trait does not scope by tenant find their tenant through one named row:
-- a session by its token hash (`madoguchi.session`, hex) and a user by id (`madoguchi.user_id`).
-- These read-only policies show that one row while the transaction names it; the store reads the
-- row's tenant, clears the name and sets `madoguchi.tenant` for the rest of the operation.
CREATE POLICY session_by_token ON sessions FOR SELECT
    USING (token_hash = decode(nullif(current_setting('madoguchi.session', true), ''), 'hex'));
CREATE POLICY user_by_id ON users FOR SELECT
    USING (id = nullif(current_setting('madoguchi.user_id', true), '')::bigint);
