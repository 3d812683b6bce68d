-- 課税 from the core systems' `tax` feed (issue 19): one row per resident and 課税年度 (西暦), the
-- income and 住民税 amounts in yen (所得 may be negative), what the 所得・課税証明書 prints.
CREATE TABLE tax_records (
    tenant_id         text NOT NULL REFERENCES tenants (id),
    atena_no          text COLLATE "C" NOT NULL,
    year              integer NOT NULL,
    taxable           boolean NOT NULL,
    dependents        integer NOT NULL,
    salary_income     bigint NOT NULL,
    salary            bigint NOT NULL,
    pension_income    bigint NOT NULL,
    pension           bigint NOT NULL,
    business          bigint NOT NULL,
    real_estate       bigint NOT NULL,
    other             bigint NOT NULL,
    total_income      bigint NOT NULL,
    deductions        bigint NOT NULL,
    taxable_base      bigint NOT NULL,
    city_income_levy  bigint NOT NULL,
    city_per_capita   bigint NOT NULL,
    pref_income_levy  bigint NOT NULL,
    pref_per_capita   bigint NOT NULL,
    PRIMARY KEY (tenant_id, atena_no, year)
);

CREATE INDEX tax_records_by_year ON tax_records (tenant_id, year);

ALTER TABLE tax_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE tax_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tax_records
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
