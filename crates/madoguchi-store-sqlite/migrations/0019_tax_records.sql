-- 課税 from the core systems' `tax` feed (issue 19): one row per resident and 課税年度 (西暦), the
-- income and 住民税 amounts in yen (所得 may be negative), what the 所得・課税証明書 prints.
CREATE TABLE tax_records (
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    atena_no          TEXT NOT NULL,
    year              INTEGER NOT NULL,
    taxable           INTEGER NOT NULL,
    dependents        INTEGER NOT NULL,
    salary_income     INTEGER NOT NULL,
    salary            INTEGER NOT NULL,
    pension_income    INTEGER NOT NULL,
    pension           INTEGER NOT NULL,
    business          INTEGER NOT NULL,
    real_estate       INTEGER NOT NULL,
    other             INTEGER NOT NULL,
    total_income      INTEGER NOT NULL,
    deductions        INTEGER NOT NULL,
    taxable_base      INTEGER NOT NULL,
    city_income_levy  INTEGER NOT NULL,
    city_per_capita   INTEGER NOT NULL,
    pref_income_levy  INTEGER NOT NULL,
    pref_per_capita   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, atena_no, year)
) STRICT, WITHOUT ROWID;

CREATE INDEX tax_records_by_year ON tax_records (tenant_id, year);
