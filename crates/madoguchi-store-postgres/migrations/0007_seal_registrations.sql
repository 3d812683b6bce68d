-- 印鑑登録 from the core systems' `inkan` feed (issue 19): one registration per resident, in force or
-- 廃止, with its 印影 (PNG or JPEG, at most 64 KB) and size in tenths of a millimetre.
CREATE TABLE seal_registrations (
    tenant_id        text NOT NULL REFERENCES tenants (id),
    atena_no         text COLLATE "C" NOT NULL,
    registration_no  text NOT NULL,
    registered_on    date NOT NULL,
    abolished_on     date,
    image            bytea,
    image_type       text,
    width_tenth_mm   integer,
    height_tenth_mm  integer,
    PRIMARY KEY (tenant_id, atena_no)
);

ALTER TABLE seal_registrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE seal_registrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON seal_registrations
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
