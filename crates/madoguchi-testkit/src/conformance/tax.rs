//! Conformance checks of the 課税 feed (`tax`) on [`madoguchi_store::LinkageStore`]: a full load
//! replaces the 年度 it carries and leaves the others, deltas upsert and delete, exactly once with the
//! ledger and the audit record, amounts (negative 所得 included) as they were given, tenant scope.

use madoguchi_core::certificate::tax::{TaxAmounts, TaxYear};
use madoguchi_core::ids::AtenaNo;
use madoguchi_store::{
    ImportApplied, ImportCounts, ImportMeta, ImportMode, Store, TaxChange, TaxRecord, TenantId,
};

use super::support::{at, audit_count, ev, t};

fn meta(tenant: &TenantId, mode: ImportMode, sha: &str) -> ImportMeta {
    ImportMeta {
        mode,
        sha256: sha.to_owned(),
        source_name: format!("tax/{sha}.csv"),
        started_at: at(0),
        audit: Some(ev(tenant, "linkage.import")),
    }
}

fn committed(a: ImportApplied) -> ImportCounts {
    match a {
        ImportApplied::Committed(c) => c,
        other => panic!("expected a commit, got {other:?}"),
    }
}

/// Person `seq`'s 課税 for `year`, amounts depending on `salary` (a business loss included).
pub(super) fn record(seq: u64, year: i32, salary: i64) -> TaxRecord {
    TaxRecord {
        atena_no: AtenaNo::from_sequence(seq),
        tax: TaxYear {
            year,
            taxable: salary > 1_000_000,
            dependents: (seq % 3) as u32,
            amounts: TaxAmounts {
                salary_income: salary,
                salary: salary * 7 / 10,
                business: -120_000,
                total_income: salary * 7 / 10 - 120_000,
                deductions: 430_000,
                taxable_base: (salary * 7 / 10 - 550_000).max(0),
                city_income_levy: 123_400,
                city_per_capita: 3_500,
                pref_income_levy: 82_200,
                pref_per_capita: 1_500,
                ..Default::default()
            },
        },
    }
}

fn put(r: TaxRecord) -> TaxChange {
    TaxChange::Put(r)
}

fn get(s: &dyn Store, tenant: &TenantId, seq: u64, year: i32) -> Option<TaxRecord> {
    s.tax_record(tenant, &AtenaNo::from_sequence(seq), year)
        .expect("read")
}

pub(super) fn tax_full_loads_replace_their_years_and_deltas_upsert_and_delete(s: &dyn Store) {
    let tenant = t("a");
    s.ensure_tenant(&tenant, "A市").expect("tenant");
    let full = vec![
        put(record(1, 2025, 4_000_000)),
        put(record(2, 2025, 800_000)),
        put(record(1, 2026, 4_200_000)),
        put(record(2, 2026, 900_000)),
    ];
    let c = committed(
        s.import_tax_records(&tenant, &meta(&tenant, ImportMode::Full, "tx-1"), &full)
            .expect("import"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (4, 0, 0, 0)
    );
    assert_eq!(audit_count(s, &tenant), 1, "audited in the import");
    assert_eq!(get(s, &tenant, 1, 2026), Some(record(1, 2026, 4_200_000)));
    assert_eq!(get(s, &tenant, 2, 2025), Some(record(2, 2025, 800_000)));
    assert_eq!(get(s, &tenant, 1, 2024), None, "a year not loaded");
    // Applied once.
    assert!(matches!(
        s.import_tax_records(&tenant, &meta(&tenant, ImportMode::Full, "tx-1"), &[])
            .expect("again"),
        ImportApplied::AlreadyApplied { .. }
    ));
    assert_eq!(audit_count(s, &tenant), 1);

    // A full file of 2026 alone: 1 changed, 3 new, 2 left out of 2026 loses it; 2025 stays.
    let full = vec![
        put(record(1, 2026, 4_300_000)),
        put(record(3, 2026, 2_000_000)),
    ];
    let c = committed(
        s.import_tax_records(&tenant, &meta(&tenant, ImportMode::Full, "tx-2"), &full)
            .expect("import"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (1, 1, 0, 1)
    );
    assert_eq!(get(s, &tenant, 1, 2026), Some(record(1, 2026, 4_300_000)));
    assert_eq!(get(s, &tenant, 2, 2026), None);
    assert_eq!(get(s, &tenant, 2, 2025), Some(record(2, 2025, 800_000)));
    assert_eq!(get(s, &tenant, 1, 2025), Some(record(1, 2025, 4_000_000)));

    // Delta: one removed (削除フラグ), one unchanged, one new year.
    let delta = vec![
        TaxChange::Remove {
            atena_no: AtenaNo::from_sequence(1),
            year: 2025,
        },
        put(record(3, 2026, 2_000_000)),
        put(record(3, 2025, 1_900_000)),
    ];
    let c = committed(
        s.import_tax_records(&tenant, &meta(&tenant, ImportMode::Delta, "tx-3"), &delta)
            .expect("import"),
    );
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.removed),
        (1, 0, 1, 1)
    );
    assert_eq!(get(s, &tenant, 1, 2025), None);
    assert_eq!(get(s, &tenant, 3, 2025), Some(record(3, 2025, 1_900_000)));
    assert_eq!(audit_count(s, &tenant), 3);
}

pub(super) fn tax_records_are_tenant_scoped(s: &dyn Store) {
    let (a, b) = (t("a"), t("b"));
    s.ensure_tenant(&a, "A市").expect("tenant");
    s.ensure_tenant(&b, "B市").expect("tenant");
    s.import_tax_records(
        &a,
        &meta(&a, ImportMode::Full, "same"),
        &[put(record(1, 2026, 3_000_000))],
    )
    .expect("a");
    assert_eq!(get(s, &b, 1, 2026), None, "B sees nothing of A");
    // The same file (SHA-256) is a different import for another tenant.
    committed(
        s.import_tax_records(
            &b,
            &meta(&b, ImportMode::Full, "same"),
            &[put(record(1, 2026, 5_000_000))],
        )
        .expect("b"),
    );
    // B's full load of 2026 does not remove A's.
    assert_eq!(get(s, &a, 1, 2026), Some(record(1, 2026, 3_000_000)));
    assert_eq!(get(s, &b, 1, 2026), Some(record(1, 2026, 5_000_000)));
}
