-- Core-system linkage (issue 10): the 支援措置 feed (001o009), the 資格 feed, the linkage ledger, and
-- the outbound feeds' batches. A resident is protected when residents.support_measure or a
-- support_measures row says so. Row-level security as for every table of a tenant's data.

CREATE TABLE support_measures (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    atena_no    text COLLATE "C" NOT NULL,
    measure     smallint NOT NULL CHECK (measure IN (1, 2)),
    start_on    date,
    end_on      date,
    PRIMARY KEY (tenant_id, atena_no)
);

CREATE TABLE eligibilities (
    tenant_id    text NOT NULL REFERENCES tenants (id),
    atena_no     text COLLATE "C" NOT NULL,
    kind         text COLLATE "C" NOT NULL,
    acquired_on  date,
    lost_on      date,
    PRIMARY KEY (tenant_id, atena_no, kind)
);

CREATE TABLE linkage_files (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants (id),
    feed         text NOT NULL,
    name         text NOT NULL,
    sequence     bigint NOT NULL,
    mode         text NOT NULL,
    sha256       text NOT NULL,
    size         bigint NOT NULL,
    outcome      text NOT NULL,
    rows_read    bigint NOT NULL,
    inserted     bigint NOT NULL,
    updated      bigint NOT NULL,
    unchanged    bigint NOT NULL,
    removed      bigint NOT NULL,
    problems     bigint NOT NULL,
    message      text,
    finished_at  timestamptz NOT NULL
);
CREATE INDEX linkage_files_feed ON linkage_files (tenant_id, feed, id);

CREATE TABLE outbound_batches (
    tenant_id     text NOT NULL REFERENCES tenants (id),
    kind          text NOT NULL,
    batch_no      bigint NOT NULL,
    file_name     text NOT NULL,
    content       bytea NOT NULL,
    sha256        text NOT NULL,
    records       bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    delivered_at  timestamptz,
    PRIMARY KEY (tenant_id, kind, batch_no)
);

CREATE TABLE outbound_cases (
    tenant_id  text NOT NULL,
    kind       text NOT NULL,
    case_id    text NOT NULL,
    batch_no   bigint NOT NULL,
    PRIMARY KEY (tenant_id, kind, case_id),
    FOREIGN KEY (tenant_id, kind, batch_no) REFERENCES outbound_batches (tenant_id, kind, batch_no)
);

CREATE INDEX cases_status ON cases (tenant_id, status, updated_at);

DO $$
DECLARE
    t text;
    tenant constant text := $q$nullif(current_setting('madoguchi.tenant', true), '')$q$;
BEGIN
    FOREACH t IN ARRAY ARRAY['support_measures', 'eligibilities', 'linkage_files', 'outbound_batches',
                             'outbound_cases']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = %s) WITH CHECK (tenant_id = %s)',
                       t, tenant, tenant);
    END LOOP;
END
$$;
